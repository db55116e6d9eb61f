using System.Diagnostics;

namespace Recordings.Bench.Measure;

/// <summary>Takes CPU readings of named processes and the machine at the start of a measurement and compares at its end.</summary>
public sealed class CpuMeter
{
    private readonly IReadOnlyDictionary<string, int> processes;
    private readonly Dictionary<string, TimeSpan> startCpu = [];
    private readonly (long Busy, long IoWait, long Total)? startTicks;
    private readonly long startTimestamp;

    private CpuMeter(IReadOnlyDictionary<string, int> processes)
    {
        this.processes = processes;
        foreach (var (name, pid) in processes)
        {
            if (ProcFs.CpuTime(pid) is { } cpu)
            {
                startCpu[name] = cpu;
            }
        }

        startTicks = ProcFs.MachineTicks();
        startTimestamp = Stopwatch.GetTimestamp();
    }

    /// <param name="processes">Display name to process id, e.g. "api", "storage", "bench".</param>
    public static CpuMeter Start(IReadOnlyDictionary<string, int> processes) => new(processes);

    public CpuUsage Stop()
    {
        var wall = Stopwatch.GetElapsedTime(startTimestamp);
        var percent = new Dictionary<string, double>();
        foreach (var (name, pid) in processes)
        {
            if (startCpu.TryGetValue(name, out var before) && ProcFs.CpuTime(pid) is { } after && wall > TimeSpan.Zero)
            {
                percent[name] = 100 * (after - before).TotalSeconds / wall.TotalSeconds;
            }
        }

        if (startTicks is not { } start || ProcFs.MachineTicks() is not { } end || end.Total == start.Total)
        {
            return new CpuUsage(percent, double.NaN, double.NaN, double.NaN);
        }

        double total = end.Total - start.Total;
        var busy = 100 * (end.Busy - start.Busy) / total;
        var other = Math.Max(0, busy * Environment.ProcessorCount - percent.Values.Sum());
        return new CpuUsage(percent, busy, 100 * (end.IoWait - start.IoWait) / total, other);
    }
}
