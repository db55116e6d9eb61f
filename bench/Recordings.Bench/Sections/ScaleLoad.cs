using Recordings.Bench.Load;
using Recordings.Bench.Measure;
using Recordings.Bench.Report;

namespace Recordings.Bench.Sections;

/// <summary>
/// 10, 100 and 1,000 connections, each sending small uploads back to back for a fixed time, every upload to a new
/// session (as wrk would drive it, and as many recorders starting at once do): every upload activates a fresh session
/// grain, so this is the cost of a session's first upload, sustained. The same load goes straight to the storage server beside it.
/// </summary>
public sealed class ScaleLoad(BenchPlan plan, BenchProcesses processes, string runId, Progress progress)
{
    public async Task RunAsync(IReadOnlyList<IUploadTarget> targets, BenchResults results, CancellationToken cancellationToken)
    {
        progress.Section($"scale: connections uploading {Format.Size(plan.ScaleFileBytes)} to new sessions for {plan.ScaleDuration.TotalSeconds:0} s");
        foreach (var target in targets)
        {
            foreach (var connections in plan.ScaleConnections)
            {
                results.Scale.Add(await MeasureAsync(target, connections, cancellationToken));
            }
        }
    }

    private async Task<ScaleCellResult> MeasureAsync(IUploadTarget target, int connections, CancellationToken cancellationToken)
    {
        var memory = target.ProcessId is { } pid ? RssSampler.Start(pid, useKernelPeak: false) : null;
        var meter = processes.StartMeter(target.ProcessId);
        // Each upload names a session never used before; the client's pool keeps one connection per upload in flight.
        var session = -1;
        var (done, wall) = await ConcurrentRunner.RunForAsync(plan.ScaleDuration, connections,
            ct => target.UploadAsync($"{runId}-scale{connections}", Interlocked.Increment(ref session), plan.ScaleFileBytes, ct),
            cancellationToken);
        var cpu = meter.Stop();
        var peakRss = memory is null ? (long?)null : (await memory.StopAsync()).PeakKb;

        var ok = done.Where(u => u.Ok).ToList();
        var cell = new ScaleCellResult(target.Name, connections, done.Count, done.Count - ok.Count,
            ok.Count(u => target.ExpectedStorage is { } expected && u.StorageType != expected),
            LatencyStats.From([.. ok.Select(u => u.Milliseconds)]), wall, cpu, done.FirstOrDefault(u => !u.Ok)?.Error, peakRss);
        progress.Cell($"scale {target.Name,-10} {connections,5} connections: {cell.Uploads} uploads, {cell.Errors} errors, {cell.Fallbacks} fallbacks  " +
                      $"{cell.UploadsPerSecond:0}/s  p50 {Format.Ms(cell.Latency.P50)} ms  p99 {Format.Ms(cell.Latency.P99)} ms  max {Format.Ms(cell.Latency.Max)} ms  " +
                      $"wall {wall.TotalSeconds:0.00} s  cpu svc {Format.Cpu(cpu, BenchProcesses.Service)}%{(cell.FirstError is null ? "" : $"  first error: {cell.FirstError}")}");

        await target.CleanupAsync([.. ok.Select(u => u.Reference!)], cancellationToken);
        return cell;
    }
}
