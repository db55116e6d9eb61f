using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using Recordings.ServiceDefaults.Orleans;

namespace Recordings.Tests.Infrastructure;

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
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.ConfigureRecordingsSilo(siloBuilder.Configuration, OrleansSettings.From(siloBuilder.Configuration), configureClustering: false);
    }
}
