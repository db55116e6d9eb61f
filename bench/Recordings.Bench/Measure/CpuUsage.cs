namespace Recordings.Bench.Measure;

/// <summary>
/// CPU used during one measurement: per process in percent of one core (so 200 is both cores of a 2-core machine),
/// the whole machine's busy and I/O-wait share in percent of all cores, and what the rest of the machine used (other
/// people's builds and tests, and kernel work charged to no process), again in percent of one core.
/// </summary>
public sealed record CpuUsage(
    IReadOnlyDictionary<string, double> ProcessPercent, double MachineBusyPercent, double MachineIoWaitPercent, double OtherPercent)
{
    public static readonly CpuUsage None = new(new Dictionary<string, double>(), double.NaN, double.NaN, double.NaN);

    public double Of(string process) => ProcessPercent.TryGetValue(process, out var percent) ? percent : double.NaN;
}
