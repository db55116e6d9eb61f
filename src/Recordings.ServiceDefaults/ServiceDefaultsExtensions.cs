using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Recordings.ServiceDefaults.Configuration;

namespace Recordings.ServiceDefaults;

/// <summary>What every host of the service shares: configuration names from the seed, health endpoints, telemetry.</summary>
public static class ServiceDefaultsExtensions
{
    public const string ReadyTag = "ready";

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.Configuration.AddSpecEnvironmentNames();
        builder.Services.AddHealthChecks();
        return builder;
    }

    /// <summary>/health/live answers as soon as the process serves HTTP; /health/ready runs the checks tagged "ready".</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return app;
    }
}
