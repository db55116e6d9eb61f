using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Recordings.ServiceDefaults.Configuration;
using Recordings.ServiceDefaults.Health;
using Recordings.ServiceDefaults.Telemetry;

namespace Recordings.ServiceDefaults;

/// <summary>What every host of the service shares: configuration names from the seed, health endpoints, telemetry.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>The tag of the checks /health/ready runs; hosts register their checks with it.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Host argument that turns off appsettings reload-on-change: its file watcher covers the content root, which
    /// holds recordings/ and data/ by default, and woke on every spool write (about 6% of the service's CPU).
    /// </summary>
    public const string NoConfigReloadArgument = "--hostBuilder:reloadConfigOnChange=false";

    /// <summary>Listens on <paramref name="url"/> unless ASPNETCORE_URLS or --urls say otherwise.</summary>
    public static WebApplicationBuilder UseDefaultUrl(this WebApplicationBuilder builder, string url)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(url);
        }

        return builder;
    }

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.Configuration.AddSpecEnvironmentNames();
        builder.AddRecordingsTelemetry();
        builder.Services.AddHealthChecks();
        return builder;
    }

    /// <summary>
    /// /health/live answers as soon as the process serves HTTP; /health/ready runs the checks tagged "ready" and
    /// says which failed (JSON); /metrics is the Prometheus scrape endpoint.
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
        return app;
    }
}
