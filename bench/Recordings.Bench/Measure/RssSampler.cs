namespace Recordings.Bench.Measure;

/// <summary>
/// Watches one process's resident memory during a measurement: the kernel's own high-water mark (reset at start)
/// and, as a cross-check where the reset is not allowed, the largest VmRSS seen every 50 ms. A sampler that spans
/// others (which reset the kernel's mark) uses its own samples only.
/// </summary>
public sealed class RssSampler : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    private readonly int pid;
    private readonly bool peakWasReset;
    private readonly CancellationTokenSource stop = new();
    private readonly Task sampling;
    private long sampledPeakKb;

    private RssSampler(int pid, bool useKernelPeak)
    {
        this.pid = pid;
        BeforeKb = ProcFs.ReadMemory(pid)?.RssKb ?? 0;
        peakWasReset = useKernelPeak && ProcFs.TryResetPeak(pid);
        sampledPeakKb = BeforeKb;
        sampling = SampleAsync();
    }

    public long BeforeKb { get; }

    public static RssSampler Start(int pid, bool useKernelPeak = true) => new(pid, useKernelPeak);

    /// <summary>Stops sampling; returns the RSS before and the peak during the measurement, in KiB.</summary>
    public async Task<MemoryReading> StopAsync()
    {
        await stop.CancelAsync();
        await sampling;
        var now = ProcFs.ReadMemory(pid);
        var peak = Math.Max(sampledPeakKb, now?.RssKb ?? 0);
        if (peakWasReset && now is { } reading)
        {
            peak = Math.Max(peak, reading.PeakKb);
        }

        return new MemoryReading(BeforeKb, peak, now?.RssKb ?? 0, peakWasReset);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await sampling;
        stop.Dispose();
    }

    private async Task SampleAsync()
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (ProcFs.ReadMemory(pid) is { } reading)
                {
                    sampledPeakKb = Math.Max(sampledPeakKb, reading.RssKb);
                }

                await Task.Delay(Interval, stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }
}

/// <summary>RSS of a process before a measurement, its peak during it and what it kept after, in KiB.</summary>
public sealed record MemoryReading(long BeforeKb, long PeakKb, long AfterKb, bool KernelPeak)
{
    public long IncreaseKb => PeakKb - BeforeKb;
}
