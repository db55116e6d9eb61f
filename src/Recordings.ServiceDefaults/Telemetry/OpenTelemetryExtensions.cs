using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Recordings.ServiceDefaults.Telemetry;

/// <summary>
/// Traces, metrics and logs for every host, configured by the standard OTEL_* variables. Spans and metrics always
/// exist in-process (for /metrics and tests); they leave the process only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
/// </summary>
public static class OpenTelemetryExtensions
{
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    // Orleans 10 starts grain-call spans from these sources once AddActivityPropagation is called on the silo or client.
    private static readonly string[] OrleansActivitySources =
    [
        "Microsoft.Orleans.Application",
        "Microsoft.Orleans.Runtime",
        "Microsoft.Orleans.Storage",
    ];

    private const string OrleansMeterName = "Microsoft.Orleans";

    // The service's own instruments (uploads, fallbacks, re-sync, Supabase calls).
    private const string RecordingsMeterName = "Recordings";

    // The blocks Kestrel reads requests into (aspnetcore.memory_pool.*): what waiting uploads cost the API host.
    private const string KestrelMemoryPoolMeterName = "Microsoft.AspNetCore.MemoryPool";

    private const int MaxSeriesPerMetric = 500;

    // Probes and scrapes arrive every few seconds; as traces they would bury the requests worth reading.
    private static readonly PathString[] UntracedPaths = ["/health", "/metrics"];

    public static IHostApplicationBuilder AddRecordingsTelemetry(this IHostApplicationBuilder builder)
    {
        builder.AddLoggingDefaults();

        var otlpEndpoint = builder.Configuration[OtlpEndpointKey];
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(ServiceIdentity.DefaultName(builder.Environment.ApplicationName), serviceInstanceId: ServiceIdentity.InstanceId(builder.Configuration))
                // Added again after AddService so that OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over the defaults.
                .AddEnvironmentVariableDetector())
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !UntracedPaths.Any(context.Request.Path.StartsWithSegments))
                .AddHttpClientInstrumentation()
                .AddSource(OrleansActivitySources)
                .AddNpgsql())
            .WithMetrics(metrics => metrics
                .AddMeter(RecordingsMeterName, OrleansMeterName, KestrelMemoryPoolMeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                // Each metric stream reserves its cardinality limit up front: 2,000 points by default, ~140 KB for each
                // of ~150 streams, ~20 MB at rest. Ours carry tens of tag combinations at most.
                .AddView(_ => new MetricStreamConfiguration { CardinalityLimit = MaxSeriesPerMetric })
                // Every scrape reads the instruments afresh: a cached answer (300 ms by default) can show a gauge
                // from before the change a probe or a test just made, and Prometheus asks only every 15 s.
                .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));

        if (!string.IsNullOrWhiteSpace(otlpEndpoint))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    private static void AddLoggingDefaults(this IHostApplicationBuilder builder)
    {
        // Lowest priority: any Logging__LogLevel__* variable or setting still wins. Default stays free for LOG_LEVEL.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
                // The resilience pipeline logs every attempt (retries with a stack trace at Warning); the Supabase
                // client and the upload path log each failure once, with its reason, so Polly only speaks on errors.
                ["Logging:LogLevel:Polly"] = "Error",
                // Orleans says at Information when a silo starts, joins and stops; the rest is for Debug.
                ["Logging:LogLevel:Orleans"] = "Warning",
                ["Logging:LogLevel:Orleans.Runtime.Silo"] = "Information",
                ["Logging:LogLevel:Orleans.Runtime.SiloOptionsLogger"] = "Warning",
            },
        });

        // Every log line carries the trace and span it was written in, on the console as in OTLP.
        builder.Logging.Configure(options => options.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        builder.Services.Configure<SimpleConsoleFormatterOptions>(options => options.IncludeScopes = true);
        builder.Services.Configure<JsonConsoleFormatterOptions>(options => options.IncludeScopes = true);
        builder.Logging.AddOpenTelemetry(options =>
        {
            options.IncludeFormattedMessage = true;
            options.IncludeScopes = true;
        });
    }
}
