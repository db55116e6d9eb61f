using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Recordings.Abstractions;
using Recordings.Grains.Placement;
using Recordings.Grains.Resumable;
using Recordings.Grains.Resync;
using Recordings.Grains.Sessions;
using Recordings.Grains.Storage;
using Recordings.Grains.Telemetry;
using Recordings.Grains.Uploads;

namespace Recordings.Grains;

public static class GrainsSiloBuilderExtensions
{
    /// <summary>
    /// What the grains need on a silo: the local store, the per-silo placement, the bucket set-up and re-sync.
    /// The host registers the Supabase client and the recordings options (the API uses them too).
    /// </summary>
    public static ISiloBuilder AddRecordingsGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddSingleton<LocalRecordingStore>();
        services.AddSingleton<SpooledRecordingCommitter>();
        services.AddResumableUploads(configuration);
        services.AddRecordingsMetrics();
        services.AddPlacementDirector<SiloNamePlacement, SiloNamePlacementDirector>();
        services.AddPlacementDirector<LocalUnlessDrainingPlacement, LocalUnlessDrainingPlacementDirector>();
        services.AddSingleton<ActiveUploads>();
        services.AddHostedService<SupabaseBucketInitializer>();
        services.AddOptions<ResyncOptions>()
            .Bind(configuration.GetSection(ResyncOptions.SectionName))
            .Validate(options => options.Interval > TimeSpan.Zero && options.MaxBackoff >= options.Interval,
                "Resync__Interval must be positive and Resync__MaxBackoff at least as long")
            .ValidateOnStart();
        services.AddSingleton<LocalResyncService>();
        services.AddHostedService(provider => provider.GetRequiredService<LocalResyncService>());
        services.AddSingleton<IDrainStep>(provider => provider.GetRequiredService<LocalResyncService>());
        services.AddSingleton<LegacyRecordingsAdopter>();
        services.AddHostedService(provider => provider.GetRequiredService<LegacyRecordingsAdopter>());
        services.AddSingleton<OrphanSweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<OrphanSweeper>());
        return silo;
    }
}
