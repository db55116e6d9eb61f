using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Recordings.Abstractions;
using Recordings.Hosting.Health;
using Recordings.Hosting.Kubernetes;
using Recordings.Hosting.Persistence;
using Recordings.Hosting.Postgres;

namespace Recordings.Hosting;

public static class SiloHostingExtensions
{
    private const string AdoNetInvariant = "Npgsql";

    /// <summary>
    /// Runs a silo in this process, alone (Recordings.Silo) or beside the API on one machine: clustering and grain
    /// storage on PostgreSQL when it is configured, else localhost clustering and files under DATA_DIR.
    /// <paramref name="addGrains"/> brings the grains and their services.
    /// </summary>
    public static IHostApplicationBuilder AddRecordingsSilo(this IHostApplicationBuilder builder, Action<ISiloBuilder> addGrains)
    {
        var settings = builder.AddOrleansOptions();
        builder.UseOrleans(silo =>
        {
            addGrains(silo);
            silo.AddActivityPropagation();
            silo.AddDashboardWhenEnabled(builder.Configuration);
            silo.Configure<SiloOptions>(options => options.SiloName = settings.SiloName);
            silo.Services.UseGrainCallTimeout<SiloMessagingOptions>();
            silo.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (settings.ClusterId, settings.ServiceId));
            // The grain-location cache is sized up front: 1,000,000 entries by default, ~19 MB before the first upload.
            // A silo's sessions in use are far fewer, and a miss costs one directory lookup.
            silo.Configure<GrainDirectoryOptions>(options => options.CacheSize = 100_000);
            // Failure detection can be tuned (Orleans__Membership__ProbeTimeout, ...); the tests shorten it.
            silo.Services.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection("Orleans:Membership"));
            if (settings.IsCluster)
            {
                silo.UseClusterOnPostgres(settings);
            }
            else
            {
                silo.AddFileGrainStorage(Path.Combine(settings.DataDirectory, "grains"));
                silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
            }
        });
        return builder;
    }

    /// <summary>Options read once, registered for the health checks and the schema installer, and the readiness checks.</summary>
    internal static OrleansOptions AddOrleansOptions(this IHostApplicationBuilder builder)
    {
        var settings = OrleansOptions.From(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddHealthChecks().AddRecordingsReadinessChecks();
        if (settings.IsCluster)
        {
            // Registered ahead of Orleans, and hosted services start in order: the tables exist before Orleans needs them.
            builder.Services.AddHostedService<PostgresSchemaHostedService>();
        }

        return settings;
    }

    private static void UseClusterOnPostgres(this ISiloBuilder silo, OrleansOptions settings)
    {
        silo.AddAdoNetGrainStorage(GrainStorage.Name, options =>
        {
            options.Invariant = AdoNetInvariant;
            options.ConnectionString = settings.PostgresConnectionString;
        });
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

    internal static string PostgresInvariant => AdoNetInvariant;
}
