using System.Diagnostics;

namespace Recordings.Bench.Measure;

/// <summary>
/// Before measuring, waits (bounded) for the machine to be quiet: on a shared 2-core machine someone else's build takes
/// a core from the service, the storage server and the client alike, and every figure drops.
/// </summary>
public static class QuietMachine
{
    private const double QuietBusyPercent = 10;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    /// <summary>The machine's busy share (percent of all cores) in the last window looked at.</summary>
    /// <param name="onBusy">Told the busy share now and then (every 10 s) while waiting.</param>
    public static async Task<double> WaitAsync(TimeSpan patience, Action<double> onBusy, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan? told = null;
        while (true)
        {
            var meter = CpuMeter.Start(new Dictionary<string, int>());
            await Task.Delay(Window, cancellationToken);
            var busy = meter.Stop().MachineBusyPercent;
            if (double.IsNaN(busy) || busy < QuietBusyPercent || clock.Elapsed >= patience)
            {
                return busy;
            }

            if (told is null || clock.Elapsed - told >= TimeSpan.FromSeconds(10))
            {
                told = clock.Elapsed;
                onBusy(busy);
            }
        }
    }
}
