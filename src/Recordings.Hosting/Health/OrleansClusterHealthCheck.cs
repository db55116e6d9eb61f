using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace Recordings.Hosting.Health;

/// <summary>
/// A host with a silo is ready once that silo is Active in the membership; an API host that is only a client is
/// ready once the cluster answers it (the management grain lists the active silos).
/// </summary>
public sealed class OrleansClusterHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<ILocalSiloDetails>() is { } silo)
        {
            var membership = services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot;
            var status = membership.GetSiloStatus(silo.SiloAddress);
            var active = membership.Members.Values.Count(member => member.Status == SiloStatus.Active);
            return status == SiloStatus.Active
                ? HealthCheckResult.Healthy($"silo {silo.Name} active; {active} active silos")
                : HealthCheckResult.Unhealthy($"silo {silo.Name} is {status}");
        }

        try
        {
            var hosts = await services.GetRequiredService<IClusterClient>()
                .GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(cancellationToken);
            return hosts.Count > 0
                ? HealthCheckResult.Healthy($"connected to the cluster; {hosts.Count} active silos")
                : HealthCheckResult.Unhealthy("connected, but the cluster has no active silo");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"not connected to the cluster: {exception.Message}");
        }
    }
}
