using Recordings.Bench.Load;
using Recordings.Bench.Measure;
using Recordings.Bench.Report;

namespace Recordings.Bench.Sections;

/// <summary>
/// Resumable (tus) uploads of one large file in fixed-size PATCHes from 1, 8 and 32 clients at once, beside the same
/// files as one multipart POST through the service and straight to the storage server, so each row's ratios come from
/// the same moment. Then progressive recorders: many deferred-length uploads fed small slices back to back, for the
/// cost of one PATCH (section "progressive"). Every cell records the service process's whole peak RSS.
/// </summary>
public sealed class ResumableUploads(BenchPlan plan, BenchProcesses processes, string runId, Progress progress)
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    public async Task RunAsync(IReadOnlyList<IUploadTarget> targets, BenchResults results, CancellationToken cancellationToken)
    {
        progress.Section($"resumable: {Format.Size(plan.ResumableBytes)} in {Format.Size(plan.ResumablePatchBytes)} PATCHes, beside multipart");
        foreach (var clients in plan.ResumableClients)
        {
            foreach (var target in targets)
            {
                results.Resumable.Add(await MeasureAsync(target, clients, cancellationToken));
            }
        }
    }

    /// <summary>The progressive cells, one per tus target (section "progressive").</summary>
    public async Task RunProgressiveAsync(IReadOnlyList<TusUploadTarget> targets, BenchResults results, CancellationToken cancellationToken)
    {
        progress.Section($"progressive: {plan.ProgressiveRecorders} recorders, {plan.ProgressiveSlices} PATCHes of {Format.Size(plan.ProgressiveSliceBytes)} each, back to back");
        foreach (var target in targets)
        {
            results.Progressive.Add(await MeasureProgressiveAsync(target, cancellationToken));
        }
    }

    private async Task<ProgressiveCellResult> MeasureProgressiveAsync(TusUploadTarget target, CancellationToken cancellationToken)
    {
        var recorders = plan.ProgressiveRecorders;
        var patchTimes = new System.Collections.Concurrent.ConcurrentQueue<double>();
        var tag = $"{runId}-p{new string([.. target.Name.Where(char.IsAsciiLetterOrDigit)])}";
        var sampler = target.ProcessId is { } pid ? RssSampler.Start(pid) : null;
        var meter = processes.StartMeter(target.ProcessId);
        var (uploads, elapsed) = await ConcurrentRunner.RunAsync(recorders, recorders, plan.CellTimeLimit,
            (worker, token) => target.Tus.RecordAsync($"bench-{tag}-{worker}", plan.ProgressiveSliceBytes, plan.ProgressiveSlices, patchTimes.Enqueue, token),
            cancellationToken);
        var cpu = meter.Stop();
        var memory = sampler is null ? null : await sampler.StopAsync();
        if (sampler is not null)
        {
            await sampler.DisposeAsync();
        }

        var ok = uploads.Where(u => u.Ok).ToList();
        var cell = new ProgressiveCellResult(target.Name, recorders, plan.ProgressiveSliceBytes, patchTimes.Count, uploads.Count - ok.Count,
            ok.Count(u => target.ExpectedStorage is { } expected && u.StorageType != expected), patchTimes.Count / elapsed.TotalSeconds,
            LatencyStats.From([.. patchTimes]), cpu, memory?.PeakKb, uploads.FirstOrDefault(u => !u.Ok)?.Error);
        progress.Cell($"progressive {target.Name,-16} {recorders} x {plan.ProgressiveSlices} x {Format.Size(cell.SliceBytes)}: {Format.Number(cell.PatchesPerSecond, 0)} PATCH/s  " +
                      $"p50 {Format.Ms(cell.Latency.P50)} ms  p99 {Format.Ms(cell.Latency.P99)} ms  {cell.Errors} errors, {cell.Fallbacks} fallbacks  " +
                      $"cpu svc {Format.Cpu(cpu, BenchProcesses.Service)}% ({Format.Number(cpu.Of(BenchProcesses.Service) * 10 / cell.PatchesPerSecond, 2)} ms per PATCH)  " +
                      $"other {Format.Number(cpu.OtherPercent, 0)}%{(memory is null ? "" : $"  peak RSS {Format.Mb(memory.PeakKb)} MB")}" +
                      (cell.FirstError is null ? "" : $"  first error: {cell.FirstError}"));

        await target.CleanupAsync([.. ok.Select(u => u.Reference!)], cancellationToken);
        await Task.Delay(Settle, cancellationToken);
        return cell;
    }

    private async Task<ResumableCellResult> MeasureAsync(IUploadTarget target, int clients, CancellationToken cancellationToken)
    {
        var size = plan.ResumableBytes;
        var count = plan.ResumableUploadsFor(clients);
        var tag = $"{runId}-r{new string([.. target.Name.Where(char.IsAsciiLetterOrDigit)])}{clients}c";
        var sampler = target.ProcessId is { } pid ? RssSampler.Start(pid) : null;
        var meter = processes.StartMeter(target.ProcessId);
        var (uploads, elapsed) = await ConcurrentRunner.RunAsync(count, clients, plan.CellTimeLimit,
            (worker, token) => target.UploadAsync(tag, worker, size, token), cancellationToken);
        var cpu = meter.Stop();
        MemoryReading? memory = null;
        if (sampler is not null)
        {
            memory = await sampler.StopAsync();
            await sampler.DisposeAsync();
        }

        var cell = UploadCellResult.From(target, size, clients, count, uploads, cpu, elapsed);
        progress.Cell(Format.UploadLine(cell) + (memory is null ? "" : $"  peak RSS {Format.Mb(memory.PeakKb)} MB"));

        await target.CleanupAsync([.. uploads.Where(u => u.Reference is not null).Select(u => u.Reference!)], cancellationToken);
        await Task.Delay(Settle, cancellationToken);
        return new ResumableCellResult(cell, plan.ResumablePatchBytes, memory?.PeakKb);
    }
}
