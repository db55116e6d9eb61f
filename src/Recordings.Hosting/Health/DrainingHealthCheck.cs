using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Recordings.Hosting.Health;

/// <summary>Not ready from the moment the host is told to stop (SIGTERM): balancers send new work elsewhere while it drains.</summary>
public sealed class DrainingHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("shutting down: finishing the work it has, taking no new")
            : HealthCheckResult.Healthy("running"));
}
