using Recordings.Bench.Load;
using Recordings.Bench.Measure;
using Recordings.Bench.Report;

namespace Recordings.Bench.Sections;

/// <summary>
/// 10, 100 and 1,000 new sessions each uploading one small file at the same moment, each on its own connection as
/// separate recorders would: every upload activates a fresh session grain, so this is the cost of a session's first upload.
/// </summary>
public sealed class ScaleLoad(BenchPlan plan, BenchProcesses processes, string runId, Progress progress)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public async Task RunAsync(IReadOnlyList<ServiceUploadTarget> targets, BenchResults results, CancellationToken cancellationToken)
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

    private async Task<ScaleCellResult> MeasureAsync(ServiceUploadTarget target, int sessions, CancellationToken cancellationToken)
    {
        // A fresh pool: every session opens its own connection, as separate recorders would.
        using var http = BenchHttp.Create(target.Client.BaseAddress, Timeout);
        var client = target.Client.Over(http);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var uploads = Enumerable.Range(0, sessions).Select(async i =>
        {
            await start.Task;
            return await client.UploadAsync($"bench-{runId}-scale{sessions}-{target.Name}-{i}", plan.ScaleFileBytes, typeFirst: true, cancellationToken);
        }).ToList();

        var meter = processes.StartMeter(target.ProcessId);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        start.SetResult();
        var done = await Task.WhenAll(uploads);
        var wall = clock.Elapsed;
        var cpu = meter.Stop();

        var ok = done.Where(u => u.Ok).ToList();
        var cell = new ScaleCellResult(target.Name, sessions, done.Length - ok.Count,
            ok.Count(u => target.ExpectedStorage is { } expected && u.StorageType != expected),
            LatencyStats.From([.. ok.Select(u => u.Milliseconds)]), wall, cpu, done.FirstOrDefault(u => !u.Ok)?.Error);
        progress.Cell($"scale {target.Name,-10} {sessions,5} sessions: {cell.Errors} errors, {cell.Fallbacks} fallbacks  p50 {Format.Ms(cell.Latency.P50)} ms  " +
                      $"p99 {Format.Ms(cell.Latency.P99)} ms  max {Format.Ms(cell.Latency.Max)} ms  wall {wall.TotalSeconds:0.00} s  " +
                      $"cpu svc {Format.Cpu(cpu, BenchProcesses.Service)}%{(cell.FirstError is null ? "" : $"  first error: {cell.FirstError}")}");

        await client.DeleteAsync([.. ok.Select(u => u.Reference!)], cancellationToken);
        return cell;
    }
}
