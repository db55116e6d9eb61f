using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Recordings.FunctionalTests.Infrastructure;

/// <summary>
/// A throwaway cluster for tests that kill or stop hosts: PostgreSQL, the Supabase test server, two silos (silo1, silo2)
/// and one API host, all with a short upload time budget (<see cref="StallTimeout"/> + <see cref="CommitMargin"/>).
/// Each test gets its own, since it breaks it.
/// </summary>
public sealed class CrashCluster : IAsyncDisposable
{
    public static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan CommitMargin = TimeSpan.FromSeconds(2);

    private readonly PostgresServer postgres;
    private readonly string connectionString;

    private CrashCluster(PostgresServer postgres, string connectionString, SupabaseStorageTestServer supabase)
    {
        this.postgres = postgres;
        this.connectionString = connectionString;
        Supabase = supabase;
    }

    public static TimeSpan UploadBudget => StallTimeout + CommitMargin;

    public SupabaseStorageTestServer Supabase { get; }

    public List<HostProcess> Silos { get; } = [];

    public HostProcess Api { get; private set; } = null!;

    /// <param name="siloSettings">Extra settings for both silos (e.g. the orphan sweep's, re-sync's).</param>
    public static async Task<CrashCluster> StartAsync(IDictionary<string, string?>? siloSettings = null)
    {
        var postgres = await PostgresServer.StartAsync();
        var cluster = new CrashCluster(postgres, await postgres.CreateDatabaseAsync("recordings_crash"), await SupabaseStorageTestServer.StartAsync());
        foreach (var name in new[] { "silo1", "silo2" })
        {
            var settings = TestSiloSettings.Named(name, cluster.CommonSettings());
            foreach (var (key, value) in siloSettings ?? new Dictionary<string, string?>())
            {
                settings[key] = value;
            }

            cluster.Silos.Add(await HostProcess.StartSiloAsync(settings));
        }

        cluster.Api = await HostProcess.StartApiAsync(cluster.CommonSettings());
        return cluster;
    }

    public HostProcess SiloNamed(string name) => Silos[name == "silo1" ? 0 : 1];

    private Dictionary<string, string?> CommonSettings()
    {
        var settings = SupabaseApiFixture.SettingsFor(Supabase);
        settings["ConnectionStrings__Postgres"] = connectionString;
        settings["Orleans__AdvertisedAddress"] = "127.0.0.1";
        settings["Orleans__ClusterId"] = "recordings-crash";
        settings["RateLimits__Uploads"] = "0";
        settings["Recordings__SupabaseStallTimeout"] = StallTimeout.ToString("c", CultureInfo.InvariantCulture);
        settings["Recordings__CommitMargin"] = CommitMargin.ToString("c", CultureInfo.InvariantCulture);
        settings["Supabase__CircuitBreakDuration"] = "00:00:01";
        return settings;
    }

    /// <summary>An upload whose body stops half-way until resumed: in flight while the test breaks something.</summary>
    public PausedUpload StartPausedUpload(HttpClient client, long bytes, int seed)
    {
        var session = RecordingsHttp.NewSessionId();
        var stream = new PausingUploadStream(bytes, bytes / 2, seed);
        return new PausedUpload(session, stream, PostAsync(client, session, stream));
    }

    private static async Task<Answer> PostAsync(HttpClient client, string session, Stream file)
    {
        try
        {
            using var form = new MultipartFormDataContent { { new StringContent("session"), "recording_type" } };
            var content = new StreamContent(file, 1024 * 1024);
            content.Headers.ContentType = new MediaTypeHeaderValue("video/webm");
            form.Add(content, "recording", "interview.webm");
            using var response = await client.PostAsync($"/recordings/upload/{session}", form);
            return new Answer((int)response.StatusCode, await response.Content.ReadAsStringAsync(), DateTime.UtcNow);
        }
        catch (HttpRequestException exception)
        {
            // The API host itself died: no status at all.
            return new Answer(0, exception.Message, DateTime.UtcNow);
        }
    }

    /// <summary>Polls every silo's recordings.uploads.active until they add up to <paramref name="total"/>; returns each silo's.</summary>
    public async Task<int[]> WaitForActiveUploadsAsync(int total)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var counts = await Task.WhenAll(Silos.Select(silo => MetricAsync(silo, "recordings_uploads_active")));
            if ((int)counts.Sum() == total)
            {
                return [.. counts.Select(count => (int)count)];
            }

            Assert.True(DateTime.UtcNow < deadline, $"uploads active on the silos: {string.Join(", ", counts)}, expected {total} in all");
            await Task.Delay(100);
        }
    }

    /// <summary>The sum of every series of a Prometheus metric (by name prefix) the host serves at /metrics.</summary>
    public static async Task<double> MetricAsync(HostProcess host, string name) =>
        PrometheusScrape.Sum(await host.Client.GetStringAsync("/metrics"), name);

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        foreach (var silo in Silos)
        {
            await silo.DisposeAsync();
        }

        await Supabase.DisposeAsync();
        await postgres.DisposeAsync();
    }
}

public sealed record Answer(int Status, string Body, DateTime At)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();
}

public sealed record PausedUpload(string Session, PausingUploadStream Stream, Task<Answer> Answer);
