using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using Recordings.Abstractions;
using Recordings.Grains;
using Recordings.Hosting;
using Recordings.Hosting.Persistence;
using Recordings.Supabase;
using Recordings.Testing;

namespace Recordings.UnitTests.Grains;

/// <summary>An Orleans TestingHost cluster running the real grains with file grain storage, against the Supabase test server.</summary>
public sealed class GrainClusterFixture : IAsyncLifetime
{
    private readonly string root = Directory.CreateTempSubdirectory("recordings-grains-").FullName;

    public TestCluster Cluster { get; private set; } = null!;

    public SupabaseStorageTestServer Supabase { get; private set; } = null!;

    public string RecordingsDirectory => Path.Combine(root, "recordings");

    public async Task InitializeAsync()
    {
        Supabase = await SupabaseStorageTestServer.StartAsync();
        var builder = new TestClusterBuilder(1);
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Supabase:Url"] = Supabase.Url,
            ["Supabase:Key"] = Supabase.ServiceRoleKey,
            ["Supabase:RequestTimeout"] = "00:00:10",
            ["Recordings:Directory"] = RecordingsDirectory,
            ["Storage:DataDirectory"] = Path.Combine(root, "data"),
        }));
        builder.AddSiloBuilderConfigurator<RecordingsSiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await Supabase.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }

    private sealed class RecordingsSiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = siloBuilder.Configuration;
            siloBuilder.Services.AddRecordingsOptions(configuration);
            siloBuilder.Services.AddSupabaseStorage(configuration.GetSection("Supabase"));
            siloBuilder.AddRecordingsGrains(configuration);
            siloBuilder.AddFileGrainStorage(Path.Combine(configuration["Storage:DataDirectory"]!, "grains"));
        }
    }
}
