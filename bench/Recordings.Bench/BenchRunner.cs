using System.Diagnostics;
using System.Reflection;
using Recordings.Bench.Hosting;
using Recordings.Bench.Load;
using Recordings.Bench.Measure;
using Recordings.Bench.Report;
using Recordings.Bench.Sections;
using Recordings.Testing;

namespace Recordings.Bench;

/// <summary>
/// One run: starts (or finds) the storage server and the service, runs every section of the plan in an order that
/// keeps each measurement fair, and writes the report.
/// </summary>
public static class BenchRunner
{
    private static readonly TimeSpan UploadTimeout = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var plan = options.Quick ? BenchPlan.Quick : BenchPlan.Full;
        var runId = Guid.NewGuid().ToString("N")[..6];
        var progress = new Progress();
        var startedAt = DateTimeOffset.UtcNow;

        progress.Section($"starting ({plan.Name} plan, run {runId})");
        var busyBefore = await QuietMachine.WaitAsync(options.QuietWait,
            busy => progress.Info($"the machine is {busy:0}% busy with other work; waiting up to {options.QuietWait.TotalSeconds:0} s for it to calm down"),
            cancellationToken);
        await using var storage = options.SupabaseUrl is { } supabaseUrl
            ? StorageServer.External(supabaseUrl, options.SupabaseKey!)
            : await StorageServer.StartTestServerAsync(options.CalibratedStorage, cancellationToken);
        using var storageClient = new StorageClient(storage, options.Bucket, UploadTimeout);
        await storageClient.EnsureBucketAsync(cancellationToken);
        progress.Info($"storage server: {storage.Url}{(storage.ProcessId is { } pid ? $" (pid {pid})" : "")}");

        await using var supabaseHost = options.ServiceUrl is null
            ? await ApiHost.StartAsync((storage.Url, storage.Key), options.Bucket, plan.MaxUploadBytes, options.ServiceEnvironment)
            : null;
        await using var localHost = options.ServiceUrl is null
            ? await ApiHost.StartAsync(null, options.Bucket, plan.MaxUploadBytes, options.ServiceEnvironment)
            : null;
        if (supabaseHost is not null && localHost is not null)
        {
            progress.Info($"service with Supabase: {supabaseHost.BaseAddress} (pid {supabaseHost.ProcessId}); " +
                          $"service with local store only: {localHost.BaseAddress} (pid {localHost.ProcessId}); {ApiHost.AssemblyPath}");
        }

        using var mainHttp = BenchHttp.Create(options.ServiceUrl ?? supabaseHost!.BaseAddress, UploadTimeout);
        using var localHttp = localHost is null ? null : BenchHttp.Create(localHost.BaseAddress, UploadTimeout);
        var mainClient = new ServiceClient(mainHttp, options.Token);
        var mainName = supabaseHost is null ? "service" : "supabase";
        var main = new ServiceUploadTarget(mainName, mainClient, supabaseHost?.ProcessId, supabaseHost is null ? null : "supabase");
        var local = localHttp is null ? null : new ServiceUploadTarget("local", new ServiceClient(localHttp, options.Token), localHost!.ProcessId, "local");
        var fileFirst = new ServiceUploadTarget($"{mainName}, file first", mainClient, main.ProcessId, main.ExpectedStorage, typeFirst: false);
        var direct = new DirectUploadTarget(storageClient);
        List<IUploadTarget> matrixTargets = local is null ? [direct, main] : [direct, main, local];
        List<ServiceUploadTarget> serviceTargets = local is null ? [main] : [main, local];

        var results = new BenchResults(new RunInfo(plan.Name, DescribeService(options, supabaseHost), DescribeBuild(options),
            DescribeStorage(storage), DescribeMachine(), startedAt));
        if (busyBefore >= 10)
        {
            results.Notes.Add($"The machine was {busyBefore:0}% busy with other work when the run started: figures are lower and noisier than on a quiet machine (see CPU other %).");
        }

        var processes = new BenchProcesses(storage.ProcessId);
        var matrix = new UploadMatrix(plan, matrixTargets, processes, runId, progress);

        var sections = options.Sections;
        await matrix.WarmUpAsync(cancellationToken);
        if (sections.Contains("memory"))
        {
            // On a service that has done little yet, so the increase is the big upload's own.
            await new BigUploadMemory(plan, processes, runId, progress).RunAsync(serviceTargets, results, cancellationToken);
        }

        if (sections.Contains("uploads"))
        {
            await matrix.RunAsync(results, cancellationToken);
            await matrix.RunFileFirstAsync(fileFirst, results, cancellationToken);
        }

        List<TusUploadTarget> tusTargets = [Tus(mainName, mainHttp, mainClient, main, plan)];
        if (local is not null)
        {
            tusTargets.Add(Tus("local", localHttp!, local.Client, local, plan));
        }

        var resumable = new ResumableUploads(plan, processes, runId, progress);
        if (sections.Contains("resumable"))
        {
            // Each tus target beside the multipart target of the same host.
            List<IUploadTarget> resumableTargets = [direct, main, tusTargets[0]];
            if (local is not null)
            {
                resumableTargets.AddRange([local, tusTargets[1]]);
            }

            await resumable.RunAsync(resumableTargets, results, cancellationToken);
        }

        if (sections.Contains("progressive"))
        {
            await resumable.RunProgressiveAsync(tusTargets, results, cancellationToken);
        }

        if (sections.Contains("reads"))
        {
            await new ReadLoad(plan, processes, runId, progress).RunAsync(mainClient, main.ProcessId, results, cancellationToken);
        }

        if (sections.Contains("scale"))
        {
            await new ScaleLoad(plan, processes, runId, progress).RunAsync([direct, .. serviceTargets], results, cancellationToken);
        }

        results.Duration = progress.Elapsed;
        NoteForeignLoad(results);
        var report = MarkdownReport.Render(results, [.. matrixTargets.Select(t => t.Name)]);
        var outPath = Path.GetFullPath(options.OutPath);
        Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
        await File.WriteAllTextAsync(outPath, report, cancellationToken);
        progress.Section($"done in {results.Duration.TotalMinutes:0.0} min; results written to {outPath}");
        Console.Out.Write(report);
        return 0;
    }

    private static TusUploadTarget Tus(string name, HttpClient http, ServiceClient client, ServiceUploadTarget multipart, BenchPlan plan) =>
        new($"{name}, tus", new TusClient(http, plan.ResumablePatchBytes), client, multipart.ProcessId, multipart.ExpectedStorage);

    // Figures are only comparable when nothing else ran: say how much other work shared the machine.
    private static void NoteForeignLoad(BenchResults results)
    {
        var other = results.Uploads.Select(c => c.Cpu.OtherPercent).Where(p => !double.IsNaN(p)).ToList();
        if (other.Count > 0)
        {
            results.Notes.Add($"CPU used outside the bench during upload cells: mean {other.Average():0}%, max {other.Max():0}% of one core " +
                              "(loopback networking charged to no process is part of it; tens of percent more means other work was running).");
        }
    }

    private static string DescribeService(BenchOptions options, HostProcess? host) => host is null
        ? $"running service at {options.ServiceUrl}"
        : "Recordings.Api as child processes (`dotnet exec`, silo in-process, file grain storage): one with Supabase, one with none (local store)" +
          (options.ServiceEnvironment.Count == 0 ? "" : $"; extra settings: {string.Join(", ", options.ServiceEnvironment.Select(e => $"`{e.Key}={Shown(e)}`"))}");

    // The report is shared: a secret or key given as a setting is named, never written.
    private static string Shown(KeyValuePair<string, string> setting) =>
        setting.Key.Contains("Secret", StringComparison.OrdinalIgnoreCase) || setting.Key.Contains("Key", StringComparison.OrdinalIgnoreCase)
            ? "(hidden)"
            : setting.Value;

    // A Debug build carries DebuggableAttribute with the JIT optimizer disabled; a Release build does not.
    private static string DescribeBuild(BenchOptions options)
    {
        if (options.ServiceUrl is not null)
        {
            return "unknown";
        }

        var debuggable = typeof(Recordings.Api.Apis.RecordingsApi).Assembly.GetCustomAttribute<DebuggableAttribute>();
        return debuggable?.IsJITOptimizerDisabled == true ? "Debug (figures not representative)" : "Release";
    }

    private static string DescribeStorage(StorageServer storage) => storage.IsLoopbackTestServer
        ? "the tests' loopback Supabase Storage server (SupabaseStorageTestServer, Kestrel, objects as files on local disk, SHA-256 and MD5 of every body) in a child process" +
          (storage.IsCalibrated
              ? $", calibrated to the real server: {Describe(StorageServerCost.Calibrated)} on one worker"
              : ", uncalibrated (as fast as it can)")
        : $"external Supabase at {storage.Url.Host}";

    private static string Describe(StorageServerCost cost) =>
        $"{cost.Latency.TotalMilliseconds:0} ms latency, {cost.CpuPerRequest.TotalMilliseconds:0} ms CPU per request, {cost.CpuPerMiB.TotalMilliseconds:0} ms CPU per MiB";

    private static string DescribeMachine()
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memoryGiB = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return $"{Environment.ProcessorCount} cores{(model is null ? "" : $" ({model})")}, {memoryGiB:0} GiB RAM, .NET {Environment.Version}, {Environment.OSVersion}";
    }
}
