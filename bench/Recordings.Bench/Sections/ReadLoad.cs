using Recordings.Bench.Load;
using Recordings.Bench.Measure;
using Recordings.Bench.Report;

namespace Recordings.Bench.Sections;

/// <summary>
/// GET /recordings/{id} and GET /recordings/{id}/list from 1, 16 and 64 clients for a fixed time each, against one
/// session holding a few recordings: read-only grain calls plus JSON, no storage server involved.
/// </summary>
public sealed class ReadLoad(BenchPlan plan, BenchProcesses processes, string runId, Progress progress)
{
    private const int RecordingsInSession = 10;

    public async Task RunAsync(ServiceClient service, int? servicePid, BenchResults results, CancellationToken cancellationToken)
    {
        progress.Section("reads");
        using var http = BenchHttp.Create(service.BaseAddress, TimeSpan.FromSeconds(30));
        var client = service.Over(http);
        var session = $"bench-{runId}-reads";
        var uploaded = new List<string>();
        for (var i = 0; i < RecordingsInSession; i++)
        {
            var upload = await client.UploadAsync(session, 16 * 1024, typeFirst: true, cancellationToken);
            if (!upload.Ok)
            {
                throw new InvalidOperationException($"Could not prepare the read session: {upload.Error}");
            }

            uploaded.Add(upload.Reference!);
        }

        string[] paths = [$"/recordings/{session}", $"/recordings/{session}/list"];
        foreach (var path in paths)
        {
            // JIT and connection warm-up, not measured.
            await ConcurrentRunner.RunAsync(200, 4, TimeSpan.FromSeconds(5), (_, token) => client.GetAsync(path, token), cancellationToken);
            foreach (var clients in plan.ReadClients)
            {
                var meter = processes.StartMeter(servicePid);
                var (reads, elapsed) = await ConcurrentRunner.RunForAsync(plan.ReadDuration, clients, token => client.GetAsync(path, token), cancellationToken);
                var cpu = meter.Stop();
                var ok = reads.Where(r => r.Status == 200).ToList();
                var endpoint = path.Replace(session, "{id}", StringComparison.Ordinal);
                var cell = new ReadCellResult(endpoint, clients, reads.Count, reads.Count - ok.Count, ok.Count / elapsed.TotalSeconds,
                    LatencyStats.From([.. ok.Select(r => r.Milliseconds)]), cpu);
                results.Reads.Add(cell);
                progress.Cell($"GET {endpoint,-22} x {clients,2}: {Format.Number(cell.RequestsPerSecond, 0)} req/s  p50 {Format.Ms(cell.Latency.P50)} ms  " +
                              $"p99 {Format.Ms(cell.Latency.P99)} ms  {cell.Errors} errors  cpu svc {Format.Cpu(cpu, BenchProcesses.Service)}% " +
                              $"client {Format.Cpu(cpu, BenchProcesses.Client)}%");
            }
        }

        await client.DeleteAsync(uploaded, cancellationToken);
    }
}
