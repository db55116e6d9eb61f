using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Recordings.ServiceDefaults.Configuration;
using Recordings.ServiceDefaults.Health;
using Recordings.ServiceDefaults.Orleans;
using Recordings.ServiceDefaults.Telemetry;

namespace Recordings.ServiceDefaults;

/// <summary>What every host of the service shares: configuration names from the seed, health endpoints, telemetry.</summary>
public static class ServiceDefaultsExtensions
{
    public const string ReadyTag = "ready";

    /// <summary>
    /// Host argument that turns off appsettings reload-on-change: its file watcher covers the content root, which
    /// holds recordings/ and data/ by default, and woke on every spool write (about 6% of the service's CPU).
    /// </summary>
    public const string NoConfigReloadArgument = "--hostBuilder:reloadConfigOnChange=false";

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.Configuration.AddSpecEnvironmentNames();
        builder.AddRecordingsTelemetry();
        builder.Services.AddHealthChecks().AddRecordingsReadinessChecks(ReadyTag);
        return builder;
    }

    /// <summary>
    /// /health/live answers as soon as the process serves HTTP; /health/ready runs the checks tagged "ready" and
    /// says which failed (JSON); /metrics is the Prometheus scrape endpoint; /dashboard is Orleans' dashboard when enabled.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
        app.MapPrometheusScrapingEndpoint();
        app.MapDashboardWhenEnabled();
        return app;
    }
}
