using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Recordings.Grains.Telemetry;

public static class RecordingsTelemetryServiceCollectionExtensions
{
    /// <summary>The "Recordings" meter's instruments, for silos and API hosts alike. Safe to call twice.</summary>
    public static IServiceCollection AddRecordingsMetrics(this IServiceCollection services)
    {
        // Hosts register IMeterFactory already; Orleans' test silos may not.
        services.AddMetrics();
        services.TryAddSingleton<RecordingsMetrics>();
        return services;
    }
}
