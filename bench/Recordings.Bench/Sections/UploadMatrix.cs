using Recordings.Bench.Load;
using Recordings.Bench.Measure;
using Recordings.Bench.Report;

namespace Recordings.Bench.Sections;

/// <summary>
/// Upload throughput and latency for every file size x client count, target by target side by side (direct, through
/// the service to Supabase, through the service to its local store), so each pair ran under the same conditions.
/// </summary>
public sealed class UploadMatrix(BenchPlan plan, IReadOnlyList<IUploadTarget> targets, BenchProcesses processes, string runId, Progress progress)
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        progress.Section("warm-up (not measured)");
        foreach (var target in targets)
        {
            var (results, _) = await ConcurrentRunner.RunAsync(8, 2, plan.CellTimeLimit,
                (worker, token) => target.UploadAsync($"{runId}-warm", worker, BenchPlan.MiB, token), cancellationToken);
            await target.CleanupAsync(References(results), cancellationToken);
            var failed = results.FirstOrDefault(r => !r.Ok);
            progress.Info($"{target.Name}: {results.Count(r => r.Ok)}/{results.Count} ok{(failed is null ? "" : $", first error: {failed.Error}")}");
        }
    }

    public async Task RunAsync(BenchResults results, CancellationToken cancellationToken)
    {
        progress.Section("uploads: throughput and latency");
        // Server GC keeps the heap it grew to, so the whole matrix's peak says more than one cell's increase.
        var whole = targets.OfType<ServiceUploadTarget>().Where(t => t.ProcessId is not null)
            .Select(t => (Target: t, Sampler: RssSampler.Start(t.ProcessId!.Value, useKernelPeak: false))).ToList();
        foreach (var size in plan.UploadSizes)
        {
            foreach (var clients in plan.UploadClients)
            {
                foreach (var target in targets)
                {
                    var watchMemory = (size, clients) == plan.MemoryCell && target.ProcessId is not null && target is ServiceUploadTarget;
                    results.Uploads.Add(await MeasureAsync(target, size, clients, plan.UploadsFor(size, clients), results, watchMemory, cancellationToken));
                }
            }
        }

        foreach (var (target, sampler) in whole)
        {
            var reading = await sampler.StopAsync();
            await sampler.DisposeAsync();
            results.Memory.Add(new MemoryResult($"whole upload matrix, start to peak ({target.Name})", reading, null));
        }
    }

    /// <summary>One extra row: recording_type after the file, so the service spools first and uploads afterwards.</summary>
    public async Task RunFileFirstAsync(ServiceUploadTarget fileFirst, BenchResults results, CancellationToken cancellationToken)
    {
        progress.Section("uploads: file part before recording_type (spool, then upload)");
        var clients = plan.FileFirstClients;
        results.Uploads.Add(await MeasureAsync(fileFirst, plan.FileFirstSize, clients, plan.UploadsFor(plan.FileFirstSize, clients), results, false, cancellationToken));
    }

    private async Task<UploadCellResult> MeasureAsync(
        IUploadTarget target, long size, int clients, int count, BenchResults results, bool watchMemory, CancellationToken cancellationToken)
    {
        var tag = $"{runId}-{Slug(target.Name)}-{size / BenchPlan.MiB}m{clients}c";
        var sampler = watchMemory ? RssSampler.Start(target.ProcessId!.Value) : null;
        var meter = processes.StartMeter(target.ProcessId);
        var (uploads, elapsed) = await ConcurrentRunner.RunAsync(count, clients, plan.CellTimeLimit,
            (worker, token) => target.UploadAsync(tag, worker, size, token), cancellationToken);
        var cpu = meter.Stop();
        if (sampler is not null)
        {
            var reading = await sampler.StopAsync();
            await sampler.DisposeAsync();
            results.Memory.Add(new MemoryResult($"{clients} x {Format.Size(size)} uploads at once ({target.Name})", reading, null));
        }

        var cell = UploadCellResult.From(target, size, clients, count, uploads, cpu, elapsed);
        progress.Cell(Format.UploadLine(cell));

        await target.CleanupAsync(References(uploads), cancellationToken);
        await Task.Delay(Settle, cancellationToken);
        return cell;
    }

    private static List<string> References(IEnumerable<UploadResult> uploads) =>
        [.. uploads.Where(u => u.Reference is not null).Select(u => u.Reference!)];

    private static string Slug(string name) => new([.. name.Where(char.IsAsciiLetterOrDigit)]);
}
