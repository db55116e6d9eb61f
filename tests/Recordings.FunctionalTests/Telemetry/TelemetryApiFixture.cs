using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Recordings.Abstractions;
using Recordings.Api.Apis;
using Recordings.Api.Extensions;
using Recordings.ServiceDefaults;
using Recordings.Testing;
using Recordings.FunctionalTests.Infrastructure;

namespace Recordings.FunctionalTests.Telemetry;

/// <summary>
/// The real API host (one-machine mode: its own silo) running in this process, so that in-memory exporters see its
/// spans, metrics and logs; Supabase is the loopback test server, with short timeouts so failures are quick.
/// </summary>
public sealed class TelemetryApiFixture : IAsyncLifetime
{
    public const string ServiceName = "recordings-api-under-test";

    private readonly string root = Directory.CreateTempSubdirectory("recordings-telemetry-").FullName;
    private WebApplication app = null!;

    public const long BucketSizeLimit = 1024 * 1024;

    public SupabaseStorageTestServer Supabase { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public ExportedItems<Activity> Spans { get; } = new();

    public ExportedItems<MetricSnapshot> Metrics { get; } = new();

    public ExportedItems<string> LogTexts { get; } = new();

    public async Task InitializeAsync()
    {
        Supabase = await SupabaseStorageTestServer.StartAsync();
        // A bucket limit the client learns at start and enforces itself (Supabase does not check a chunked body).
        Supabase.CreateBucket("interview-recordings", isPublic: true, fileSizeLimit: BucketSizeLimit);
        var port = FreePort.Next();
        // As Program.cs composes the host, with the test's exporters added.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // The default is the entry assembly, which here is the test host.
            ApplicationName = typeof(RecordingsApi).Assembly.GetName().Name,
            Args =
            [
                ServiceDefaultsExtensions.NoConfigReloadArgument,
                "--environment=Development",
                $"--urls=http://127.0.0.1:{port}",
                $"--Supabase:Url={Supabase.Url}",
                $"--Supabase:Key={Supabase.ServiceRoleKey}",
                "--Supabase:RequestTimeout=00:00:02",
                "--Supabase:CircuitBreakDuration=00:00:01",
                "--Recordings:SupabaseStallTimeout=00:00:02",
                $"--Recordings:Directory={Path.Combine(root, "recordings")}",
                $"--Storage:DataDirectory={Path.Combine(root, "data")}",
                $"--Orleans:SiloPort={FreePort.Next()}",
                $"--Orleans:GatewayPort={FreePort.Next()}",
                "--Orleans:SiloName=telemetry-silo",
                // Whatever the machine's environment says: one machine, nothing exported, files stay where they fell back.
                "--ConnectionStrings:Postgres=",
                "--OTEL_EXPORTER_OTLP_ENDPOINT=",
                $"--OTEL_SERVICE_NAME={ServiceName}",
                "--OTEL_RESOURCE_ATTRIBUTES=deployment.environment=test",
                "--Resync:Enabled=false",
                // Every record reaches the OpenTelemetry pipeline; none clutters the test output.
                "--Logging:LogLevel:Default=Debug",
                "--Logging:Console:LogLevel:Default=None",
            ],
        });
        builder.AddServiceDefaults();
        builder.AddApplicationServices();
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddInMemoryExporter(Spans))
            .WithMetrics(metrics => metrics.AddInMemoryExporter(Metrics));
        builder.Logging.AddOpenTelemetry(logging => logging.AddProcessor(new LogTextCollector(LogTexts)));

        app = builder.Build();
        app.MapDefaultEndpoints();
        app.UseApiErrorHandling();
        app.MapDocs();
        app.MapRecordingsApi();
        await app.StartAsync();
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(1) };
        await WaitUntilReadyAsync();
        await WaitForBucketRulesAsync();
    }

    // The host reads the bucket in the background at start; uploads over its limit are refused only once it has.
    private async Task WaitForBucketRulesAsync()
    {
        var rules = app.Services.GetRequiredService<Recordings.Supabase.SupabaseUploadRules>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (rules.MaxObjectBytes != BucketSizeLimit)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The host did not read the bucket's size limit within 30 s.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Polls /health/ready until it answers <paramref name="expected"/>; returns its JSON.</summary>
    public async Task<JsonElement> WaitForReadinessAsync(HttpStatusCode expected, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            using var response = await Client.GetAsync("/health/ready");
            var body = await RecordingsHttp.ReadJsonAsync(response);
            if (response.StatusCode == expected)
            {
                return body;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"/health/ready stayed {(int)response.StatusCode}, wanted {(int)expected}: {body}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Clears every fault and waits until an upload reaches Supabase again (the breaker may still be open).</summary>
    public Task HealAsync() => SupabaseRecovery.HealAsync(Supabase, Client);

    /// <summary>The resource every span, metric and log record of this host is exported with.</summary>
    public Resource Resource => app.Services.GetRequiredService<TracerProvider>().GetResource();

    /// <summary>Collects every instrument now and returns the readings (cumulative since the host started).</summary>
    public IReadOnlyList<MetricSnapshot> CollectMetrics()
    {
        Metrics.Clear();
        app.Services.GetRequiredService<MeterProvider>().ForceFlush();
        return Metrics.Snapshot();
    }

    /// <summary>Waits until a span matching <paramref name="match"/> has ended and been exported.</summary>
    public async Task<Activity> WaitForSpanAsync(Func<Activity, bool> match)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (Spans.Snapshot().FirstOrDefault(match) is { } span)
            {
                return span;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("No such span was exported.");
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        await Supabase.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }

    private async Task WaitUntilReadyAsync()
    {
        // The silo must be active and the bucket created (the host does that in the background at start).
        await WaitForReadinessAsync(HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        await HealAsync();
    }
}
