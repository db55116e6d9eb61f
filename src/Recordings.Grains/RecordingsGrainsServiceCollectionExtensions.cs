using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Recordings.Grains.Options;
using Recordings.Grains.Placement;
using Recordings.Grains.Resumable;
using Recordings.Grains.Resync;
using Recordings.Grains.Storage;
using Recordings.Grains.Storage.Supabase;

namespace Recordings.Grains;

public static class RecordingsGrainsServiceCollectionExtensions
{
    /// <summary>What the grains need on a silo: options, the local store, the Supabase client, the placement.</summary>
    public static IServiceCollection AddRecordingsGrains(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRecordingsStorage(configuration);
        services.AddSingleton<LocalRecordingStore>();
        services.AddSingleton<Uploads.SpooledRecordingCommitter>();
        services.AddResumableUploads(configuration);
        services.AddPlacementDirector<SiloNamePlacement, SiloNamePlacementDirector>();
        services.AddHostedService<SupabaseBucketInitializer>();
        services.AddOptions<ResyncOptions>().Bind(configuration.GetSection(ResyncOptions.SectionName));
        services.AddHostedService<LocalResyncService>();
        return services;
    }

    /// <summary>Options, the Supabase client and links: needed by silos and by API hosts alike. Safe to call twice.</summary>
    public static IServiceCollection AddRecordingsStorage(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(service => service.ServiceType == typeof(RecordingLinks)))
        {
            return services;
        }

        services.AddOptions<RecordingsOptions>()
            .Bind(configuration.GetSection(RecordingsOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSupabaseStorage(configuration.GetSection("Supabase"));
        services.AddSingleton<RecordingLinks>();
        return services;
    }
}
