using System.Diagnostics;

namespace Recordings.Testing;

/// <summary>
/// What each request costs the test storage server beyond its own work, so that a benchmark against it predicts one
/// against the real Supabase Storage server (Node.js: one event loop, so its CPU work is done one request at a time).
/// </summary>
/// <param name="Latency">Waited, not spent, per request (the real server's database round trips).</param>
/// <param name="CpuPerRequest">CPU spent per request on the one worker.</param>
/// <param name="CpuPerMiB">CPU spent per MiB of request body on the one worker.</param>
public sealed record StorageServerCost(TimeSpan Latency, TimeSpan CpuPerRequest, TimeSpan CpuPerMiB)
{
    /// <summary>As fast as this machine serves files: for finding the service's own ceiling.</summary>
    public static StorageServerCost None { get; } = new(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>
    /// Calibrated to upstream Supabase Storage v1.11.2 (file backend, PostgreSQL, nginx gateway) measured on this 2-core
    /// machine: about 10 ms of server time per small upload at low load, about 100 small uploads/s and 75 MB/s at saturation.
    /// </summary>
    public static StorageServerCost Calibrated { get; } = new(TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(8), TimeSpan.FromMilliseconds(13));

    public bool IsFree => this == None;

    private static readonly SemaphoreSlim Worker = new(1, 1);

    public async Task BeforeAsync(CancellationToken cancellationToken)
    {
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, cancellationToken);
        }

        await SpendAsync(CpuPerRequest, cancellationToken);
    }

    /// <summary>Spent while the body arrives, as the real server does: a busy server reads its uploads more slowly.</summary>
    public Task ChargeBodyAsync(int bytes, CancellationToken cancellationToken) =>
        SpendAsync(CpuPerMiB * (bytes / (1024.0 * 1024.0)), cancellationToken);

    // Busy, not sleeping: the cost must compete for the cores as the real server's work does.
    private static async Task SpendAsync(TimeSpan cpu, CancellationToken cancellationToken)
    {
        if (cpu <= TimeSpan.Zero)
        {
            return;
        }

        await Worker.WaitAsync(cancellationToken);
        try
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < cpu)
            {
                Thread.SpinWait(1000);
            }
        }
        finally
        {
            Worker.Release();
        }
    }
}
