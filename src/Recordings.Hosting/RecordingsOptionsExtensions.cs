using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Recordings.Abstractions;

namespace Recordings.Hosting;

public static class RecordingsOptionsExtensions
{
    /// <summary>Binds <see cref="RecordingsOptions"/> (section "Recordings"), validated when the host starts.</summary>
    public static IServiceCollection AddRecordingsOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RecordingsOptions>()
            .Bind(configuration.GetSection(RecordingsOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }
}
