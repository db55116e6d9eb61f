using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using Recordings.Grains;
using Recordings.Grains.Sessions;
using Recordings.ServiceDefaults.Persistence;
using Recordings.ServiceDefaults.Postgres;

namespace Recordings.ServiceDefaults.Orleans;

public static class OrleansHostingExtensions
{
    private const string AdoNetInvariant = "Npgsql";

    /// <summary>Runs a silo in this process: alone (Recordings.Silo) or beside the API on one machine.</summary>
    public static IHostApplicationBuilder AddRecordingsSilo(this IHostApplicationBuilder builder)
    {
        var settings = OrleansSettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);
        if (settings.IsCluster)
        {
            builder.Services.AddHostedService<PostgresSchemaHostedService>();
        }

        builder.UseOrleans(silo => silo.ConfigureRecordingsSilo(builder.Configuration, settings));
        return builder;
    }

    /// <summary>
    /// The API's way in: an Orleans client of the cluster when PostgreSQL is configured, otherwise a silo in-process
    /// so that `dotnet run --project src/Recordings.Api` is the whole service.
    /// </summary>
    public static IHostApplicationBuilder AddRecordingsOrleans(this IHostApplicationBuilder builder)
    {
        var settings = OrleansSettings.From(builder.Configuration);
        if (!settings.IsCluster)
        {
            return builder.AddRecordingsSilo();
        }

        return builder.AddRecordingsClient();
    }

    /// <summary>
    /// An Orleans client of the running service: of the cluster (PostgreSQL configured) or of the one-machine host's
    /// gateway on this machine. Used by the API in cluster mode and by the import tool.
    /// </summary>
    public static IHostApplicationBuilder AddRecordingsClient(this IHostApplicationBuilder builder)
    {
        var settings = OrleansSettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);
        if (settings.IsCluster)
        {
            builder.Services.AddHostedService<PostgresSchemaHostedService>();
        }

        builder.UseOrleansClient(client =>
        {
            // Grain calls join the caller's trace (spans from the Microsoft.Orleans.* activity sources).
            client.AddActivityPropagation();
            client.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (settings.ClusterId, settings.ServiceId));
            if (settings.IsCluster)
            {
                client.UseAdoNetClustering(options =>
                {
                    options.Invariant = AdoNetInvariant;
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

    /// <summary>Grains, their services and storage for either mode; clustering too unless the caller brings its own.</summary>
    public static ISiloBuilder ConfigureRecordingsSilo(this ISiloBuilder silo, IConfiguration configuration, OrleansSettings settings, bool configureClustering = true)
    {
        silo.Services.AddRecordingsGrains(configuration);
        silo.AddActivityPropagation();
        silo.AddDashboardWhenEnabled(configuration);
        silo.Configure<SiloOptions>(options => options.SiloName = settings.SiloName);

        if (settings.IsCluster)
        {
            silo.AddAdoNetGrainStorage(SessionGrain.StorageName, options =>
            {
                options.Invariant = AdoNetInvariant;
                options.ConnectionString = settings.PostgresConnectionString;
            });
        }
        else
        {
            var directory = Path.GetFullPath(Path.Combine(settings.DataDirectory, "grains"));
            silo.Services.AddGrainStorage(SessionGrain.StorageName,
                (services, _) => new FileGrainStorage(directory, services.GetRequiredService<IGrainStorageSerializer>()));
        }

        if (!configureClustering)
        {
            return silo;
        }

        silo.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (settings.ClusterId, settings.ServiceId));
        // Failure detection can be tuned (Orleans__Membership__ProbeTimeout, ...); the tests shorten it.
        silo.Services.Configure<ClusterMembershipOptions>(configuration.GetSection("Orleans:Membership"));
        if (settings.IsCluster)
        {
            silo.UseAdoNetClustering(options =>
            {
                options.Invariant = AdoNetInvariant;
                options.ConnectionString = settings.PostgresConnectionString;
            });
            silo.UseKubernetesHostingInPod();
            if (settings.AdvertisedAddress is null)
            {
                silo.ConfigureEndpoints(settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true);
            }
            else if (IPAddress.TryParse(settings.AdvertisedAddress, out var advertisedIp))
            {
                silo.ConfigureEndpoints(advertisedIp, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true);
            }
            else
            {
                // A host name (a container's service name, say): Orleans resolves it to the IPv4 address it advertises.
                silo.ConfigureEndpoints(settings.AdvertisedAddress, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true);
            }
        }
        else
        {
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
        }

        return silo;
    }
}
