using Microsoft.Extensions.DependencyInjection;

namespace Recordings.ServiceDefaults.Health;

public static class HealthCheckExtensions
{
    // A probe must answer before the orchestrator's own timeout, whatever a dependency does.
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The readiness checks (tag "ready"): Supabase, PostgreSQL in cluster mode, this host's place in the cluster, and whether it is draining.</summary>
    public static IHealthChecksBuilder AddRecordingsReadinessChecks(this IHealthChecksBuilder checks, string readyTag) => checks
        .AddCheck<SupabaseHealthCheck>("supabase", tags: [readyTag], timeout: CheckTimeout)
        .AddCheck<PostgresHealthCheck>("postgres", tags: [readyTag], timeout: CheckTimeout)
        .AddCheck<OrleansClusterHealthCheck>("orleans", tags: [readyTag], timeout: CheckTimeout)
        .AddCheck<DrainingHealthCheck>("draining", tags: [readyTag]);
}
