using Microsoft.Extensions.DependencyInjection;

namespace Recordings.Hosting.Health;

public static class HealthCheckExtensions
{
    // The tag /health/ready selects (ServiceDefaultsExtensions.ReadyTag; ServiceDefaults references no project of ours).
    private const string ReadyTag = "ready";

    // A probe must answer before the orchestrator's own timeout, whatever a dependency does.
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The readiness checks: Supabase, PostgreSQL in cluster mode, and this host's place in the cluster.</summary>
    public static IHealthChecksBuilder AddRecordingsReadinessChecks(this IHealthChecksBuilder checks) => checks
        .AddCheck<SupabaseHealthCheck>("supabase", tags: [ReadyTag], timeout: CheckTimeout)
        .AddCheck<PostgresHealthCheck>("postgres", tags: [ReadyTag], timeout: CheckTimeout)
        .AddCheck<OrleansClusterHealthCheck>("orleans", tags: [ReadyTag], timeout: CheckTimeout);
}
