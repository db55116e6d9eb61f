using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Recordings.Abstractions.IO;
using Recordings.Supabase;

namespace Recordings.UnitTests.Hosting;

/// <summary>Issue 8 item 10: connections of the long-lived Supabase client are recycled; renames are made durable.</summary>
public sealed class SupabaseHandlerTests
{
    [Fact]
    public void The_supabase_client_recycles_its_pooled_connections()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSupabaseStorage(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>()).Build());
        using var provider = services.BuildServiceProvider();

        var handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(nameof(SupabaseStorageClient));
        while (handler is DelegatingHandler outer)
        {
            handler = outer.InnerHandler!;
        }

        var sockets = Assert.IsType<SocketsHttpHandler>(handler);
        Assert.InRange(sockets.PooledConnectionLifetime, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void Flushing_a_directory_works_and_a_missing_one_is_an_error()
    {
        var directory = Directory.CreateTempSubdirectory("recordings-sync-").FullName;
        try
        {
            DirectorySync.Flush(directory);
            Assert.Throws<IOException>(() => DirectorySync.Flush(Path.Combine(directory, "missing")));
        }
        finally
        {
            Directory.Delete(directory);
        }
    }
}
