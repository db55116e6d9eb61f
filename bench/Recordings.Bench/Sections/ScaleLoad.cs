using Recordings.Bench.Load;
using Recordings.Bench.Measure;
using Recordings.Bench.Report;

namespace Recordings.Bench.Sections;

/// <summary>
/// 10, 100 and 1,000 new sessions each uploading one small file at the same moment, each on its own connection as
/// separate recorders would: every upload activates a fresh session grain, so this is the cost of a session's first upload.
/// The same load goes straight to the storage server beside it.
/// </summary>
public sealed class ScaleLoad(BenchPlan plan, BenchProcesses processes, string runId, Progress progress)
{
    public async Task RunAsync(IReadOnlyList<IUploadTarget> targets, BenchResults results, CancellationToken cancellationToken)
    {
        progress.Section($"scale: sessions uploading {Format.Size(plan.ScaleFileBytes)} at once");
        foreach (var target in targets)
        {
            foreach (var sessions in plan.ScaleSessions)
            {
                results.Scale.Add(await MeasureAsync(target, sessions, cancellationToken));
            }
        }
    }

    private async Task<ScaleCellResult> MeasureAsync(IUploadTarget target, int sessions, CancellationToken cancellationToken)
    {
        // All at once, each its own session: the pool opens a connection for every one, as separate recorders would.
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var uploads = Enumerable.Range(0, sessions).Select(async i =>
        {
            await start.Task;
            return await target.UploadAsync($"{runId}-scale{sessions}", i, plan.ScaleFileBytes, cancellationToken);
        }).ToList();

        var memory = target.ProcessId is { } pid ? RssSampler.Start(pid, useKernelPeak: false) : null;
        var meter = processes.StartMeter(target.ProcessId);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        start.SetResult();
        var done = await Task.WhenAll(uploads);
        var wall = clock.Elapsed;
        var cpu = meter.Stop();
        var peakRss = memory is null ? (long?)null : (await memory.StopAsync()).PeakKb;

        var ok = done.Where(u => u.Ok).ToList();
        var cell = new ScaleCellResult(target.Name, sessions, done.Length - ok.Count,
            ok.Count(u => target.ExpectedStorage is { } expected && u.StorageType != expected),
            LatencyStats.From([.. ok.Select(u => u.Milliseconds)]), wall, cpu, done.FirstOrDefault(u => !u.Ok)?.Error, peakRss);
        progress.Cell($"scale {target.Name,-10} {sessions,5} sessions: {cell.Errors} errors, {cell.Fallbacks} fallbacks  {cell.UploadsPerSecond:0}/s  p50 {Format.Ms(cell.Latency.P50)} ms  " +
                      $"p99 {Format.Ms(cell.Latency.P99)} ms  max {Format.Ms(cell.Latency.Max)} ms  wall {wall.TotalSeconds:0.00} s  " +
                      $"cpu svc {Format.Cpu(cpu, BenchProcesses.Service)}%{(cell.FirstError is null ? "" : $"  first error: {cell.FirstError}")}");

        await target.CleanupAsync([.. ok.Select(u => u.Reference!)], cancellationToken);
        return cell;
    }
}
