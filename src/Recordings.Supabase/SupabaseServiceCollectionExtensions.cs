using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Recordings.Supabase;

public static class SupabaseServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="SupabaseOptions"/> from <paramref name="section"/> (validated at start) and registers
    /// <see cref="SupabaseStorageClient"/> as a typed HttpClient behind the Supabase resilience pipeline.
    /// </summary>
    public static IServiceCollection AddSupabaseStorage(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptions<SupabaseOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SupabaseOptions>, SupabaseOptionsValidator>());

        // The client counts its calls on the service's meter.
        services.AddMetrics();
        services.TryAddSingleton<SupabaseMetrics>();
        services.TryAddSingleton<SupabaseUploadRules>();
        services.AddHttpClient<SupabaseStorageClient>()
            .ConfigurePrimaryHttpMessageHandler(CreatePrimaryHandler)
            // Every header value stays out of HttpClient's trace logs (Authorization and apikey carry the key).
            // .NET 9+ does this by default; saying it here keeps a global RedactLoggedHeaders from undoing it.
            .RedactLoggedHeaders(static _ => true)
            .AddResilienceHandler(SupabaseResiliencePipeline.Name, SupabaseResiliencePipeline.Configure);

        return services;
    }

    // A host that drops packets would otherwise hold an upload's connect attempt for the whole UploadTimeout.
    private static HttpMessageHandler CreatePrimaryHandler(IServiceProvider services) => new SocketsHttpHandler
    {
        ConnectTimeout = services.GetRequiredService<IOptions<SupabaseOptions>>().Value.RequestTimeout,
    };
}
