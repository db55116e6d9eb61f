using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Recordings.Abstractions;

namespace Recordings.Hosting;

public static class RecordingsOptionsExtensions
{
    /// <summary>Binds <see cref="RecordingsOptions"/> (section "Recordings"), validated (time budget included) when the host starts.</summary>
    public static IServiceCollection AddRecordingsOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RecordingsOptions>, UploadTimeBudgetValidator>());
        services.AddOptions<RecordingsOptions>()
            .Bind(configuration.GetSection(RecordingsOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }

    /// <summary>Orleans' response timeout from the same budget the API gives uploads (Recordings__GrainCallTimeout).</summary>
    internal static void UseGrainCallTimeout<TMessaging>(this IServiceCollection services)
        where TMessaging : Orleans.Configuration.MessagingOptions
    {
        services.AddOptions<TMessaging>()
            .Configure<IOptions<RecordingsOptions>>((messaging, recordings) => messaging.ResponseTimeout = recordings.Value.GrainCallTimeout);
    }
}
