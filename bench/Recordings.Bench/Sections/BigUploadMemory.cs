using Recordings.Bench.Load;
using Recordings.Bench.Measure;
using Recordings.Bench.Report;

namespace Recordings.Bench.Sections;

/// <summary>
/// One very large upload (300 MiB) on an otherwise idle service, and the resident memory it adds: the design promises
/// memory per upload bounded by a small buffer, never by the file's size (goal: under 100 MB more).
/// </summary>
public sealed class BigUploadMemory(BenchPlan plan, BenchProcesses processes, string runId, Progress progress)
{
    public const long GoalIncreaseKb = 100 * 1024;

    public async Task RunAsync(IReadOnlyList<ServiceUploadTarget> targets, BenchResults results, CancellationToken cancellationToken)
    {
        progress.Section($"memory: one {Format.Size(plan.BigUploadBytes)} upload");
        foreach (var target in targets.Where(t => t.ProcessId is not null))
        {
            // Let the previous step's garbage go first, so the increase is this upload's own.
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            var sampler = RssSampler.Start(target.ProcessId!.Value);
            var meter = processes.StartMeter(target.ProcessId);
            var upload = await target.UploadAsync($"{runId}-big", 0, plan.BigUploadBytes, cancellationToken);
            var cpu = meter.Stop();
            var reading = await sampler.StopAsync();
            await sampler.DisposeAsync();

            results.Memory.Add(new MemoryResult($"one {Format.Size(plan.BigUploadBytes)} upload ({target.Name})", reading, GoalIncreaseKb));
            var outcome = upload.Ok
                ? $"stored in {upload.StorageType}, {Format.Number(plan.BigUploadBytes / (double)BenchPlan.MiB / (upload.Milliseconds / 1000))} MiB/s"
                : $"FAILED: {upload.Error}";
            progress.Cell($"big upload {target.Name,-10}: {outcome}; RSS {Format.Mb(reading.BeforeKb)} -> peak {Format.Mb(reading.PeakKb)} MB " +
                          $"(+{Format.Mb(reading.IncreaseKb)} MB)  cpu svc {Format.Cpu(cpu, BenchProcesses.Service)}%");
            if (!upload.Ok)
            {
                results.Notes.Add($"The {Format.Size(plan.BigUploadBytes)} upload to {target.Name} failed: {upload.Error}");
            }

            await target.CleanupAsync(upload.Reference is { } reference ? [reference] : [], cancellationToken);
        }
    }
}
