using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recordings.Supabase;

namespace Recordings.UnitTests.Supabase;

/// <summary>
/// The Supabase Storage test server with the bucket, and clients built the way the hosts build them: configuration,
/// AddSupabaseStorage (its real resilience pipeline), start-up validation. Disposing it disposes every client.
/// </summary>
public sealed class SupabaseClientHarness : IAsyncDisposable
{
    public const string Bucket = "interview-recordings";

    private readonly List<ServiceProvider> providers = [];

    private SupabaseClientHarness(SupabaseStorageTestServer server) => Server = server;

    public SupabaseStorageTestServer Server { get; }

    public static async Task<SupabaseClientHarness> StartAsync()
    {
        var server = await SupabaseStorageTestServer.StartAsync();
        server.CreateBucket(Bucket, isPublic: true);
        return new SupabaseClientHarness(server);
    }

    public SupabaseStorageClient CreateClient(
        Action<Dictionary<string, string?>>? configure = null, string? key = null, ILoggerProvider? logs = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Supabase:Url"] = Server.Url,
            ["Supabase:Key"] = key ?? Server.ServiceRoleKey,
            ["Supabase:Bucket"] = Bucket,
            ["Supabase:RetryBaseDelay"] = "00:00:00.010",
        };
        configure?.Invoke(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            if (logs is not null)
            {
                logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
            }
        });
        services.AddSupabaseStorage(configuration.GetSection("Supabase"));
        var provider = services.BuildServiceProvider(validateScopes: true);
        providers.Add(provider);

        provider.GetRequiredService<IStartupValidator>().Validate();
        return provider.GetRequiredService<SupabaseStorageClient>();
    }

    public async ValueTask DisposeAsync()
    {
        Server.Fault = SupabaseFault.None;
        foreach (var provider in providers)
        {
            await provider.DisposeAsync();
        }

        await Server.DisposeAsync();
    }
}
