namespace Recordings.FunctionalTests.Infrastructure;

/// <summary>
/// The service as deployed: a throwaway PostgreSQL, two Recordings.Silo processes (silo1, silo2, each with its own
/// disk) and one Recordings.Api process as an Orleans client, all on loopback, against the Supabase test server.
/// Failure detection and re-sync are tuned short so the tests see them within seconds.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const string Bucket = "interview-recordings";

    private PostgresServer postgres = null!;

    public SupabaseStorageTestServer Supabase { get; private set; } = null!;

    public string ConnectionString { get; private set; } = null!;

    public HostProcess Silo1 { get; private set; } = null!;

    public HostProcess Silo2 { get; private set; } = null!;

    public HostProcess Api { get; private set; } = null!;

    public HttpClient Client => Api.Client;

    public async Task InitializeAsync()
    {
        postgres = await PostgresServer.StartAsync();
        ConnectionString = await postgres.CreateDatabaseAsync("recordings_cluster");
        Supabase = await SupabaseStorageTestServer.StartAsync();
        Silo1 = await HostProcess.StartSiloAsync(SiloSettings("silo1"));
        Silo2 = await HostProcess.StartSiloAsync(SiloSettings("silo2"));
        Api = await HostProcess.StartApiAsync(CommonSettings());
    }

    public HostProcess SiloNamed(string name) => name == "silo1" ? Silo1 : Silo2;

    public Dictionary<string, string?> SiloSettings(string name)
    {
        var settings = TestSiloSettings.Named(name, CommonSettings());
        settings["Resync__Interval"] = "00:00:01";
        settings["Resync__MaxBackoff"] = "00:00:02";
        settings["Recordings__SupabaseStallTimeout"] = "00:00:02";
        settings["Supabase__CircuitBreakDuration"] = "00:00:01";
        return settings;
    }

    /// <summary>Runs the import tool against this cluster; returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> RunImportAsync(string folder)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", ["exec", Path.Combine(AppContext.BaseDirectory, "Recordings.Import.dll"), folder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in CommonSettings())
        {
            start.Environment[key] = value;
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await output + await errors);
    }

    public Dictionary<string, string?> CommonSettings()
    {
        var settings = SupabaseApiFixture.SettingsFor(Supabase);
        settings["ConnectionStrings__Postgres"] = ConnectionString;
        settings["Orleans__AdvertisedAddress"] = "127.0.0.1";
        settings["Orleans__ClusterId"] = "recordings-test";
        // The load tests upload from one address far faster than a recorder does.
        settings["RateLimits__Uploads"] = "0";
        return settings;
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Silo1.DisposeAsync();
        await Silo2.DisposeAsync();
        await Supabase.DisposeAsync();
        await postgres.DisposeAsync();
    }
}
