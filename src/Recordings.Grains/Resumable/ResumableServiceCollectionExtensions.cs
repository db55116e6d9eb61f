using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Recordings.Abstractions;

namespace Recordings.Grains.Resumable;

public static class ResumableServiceCollectionExtensions
{
    /// <summary>What resumable uploads need on a silo: their spool, relay to Supabase, placement and sweeper.</summary>
    public static IServiceCollection AddResumableUploads(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddResumableOptions(configuration);
        services.AddSingleton<ResumableSpool>();
        services.AddSingleton<SupabaseRelay>();
        services.AddPlacementDirector<SpoolSiloPlacement, SpoolSiloPlacementDirector>();
        services.AddHostedService<ResumableUploadSweeper>();
        return services;
    }

    /// <summary>The lifetimes (section "Recordings"), needed by silos and API hosts alike. Safe to call twice.</summary>
    public static IServiceCollection AddResumableOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ResumableOptions>()
            .Bind(configuration.GetSection(RecordingsOptions.SectionName))
            .Validate(ResumableOptions.IsValid, "Recordings: AbandonAfter, ResumableExpiration and ResumableSweepInterval must be positive")
            .ValidateOnStart();
        return services;
    }
}
