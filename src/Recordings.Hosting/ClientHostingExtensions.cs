using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace Recordings.Hosting;

public static class ClientHostingExtensions
{
    /// <summary>
    /// An Orleans client of the running service: of the cluster (PostgreSQL configured) or of the one-machine host's
    /// gateway on this machine. Used by the API in cluster mode and by the import tool.
    /// </summary>
    public static IHostApplicationBuilder AddRecordingsClient(this IHostApplicationBuilder builder)
    {
        var settings = builder.AddOrleansOptions();
        builder.UseOrleansClient(client =>
        {
            // Grain calls join the caller's trace (spans from the Microsoft.Orleans.* activity sources).
            client.AddActivityPropagation();
            client.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (settings.ClusterId, settings.ServiceId));
            if (settings.IsCluster)
            {
                client.UseAdoNetClustering(options =>
                {
                    options.Invariant = SiloHostingExtensions.PostgresInvariant;
                    options.ConnectionString = settings.PostgresConnectionString;
                });
            }
            else
            {
                client.UseLocalhostClustering(settings.GatewayPort, settings.ServiceId, settings.ClusterId);
            }
        });
        return builder;
    }
}
