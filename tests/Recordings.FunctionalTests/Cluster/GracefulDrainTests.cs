using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Recordings.Testing;
using Recordings.FunctionalTests.Infrastructure;

namespace Recordings.FunctionalTests.Cluster;

/// <summary>
/// Rolling upgrades and scale-in on real processes and a real PostgreSQL: two silos and two API hosts (local storage,
/// so each record names the silo that stored it) while eight clients stream 50 MB uploads.
/// </summary>
public sealed class GracefulDrainTests : IAsyncLifetime
{
    private const int Clients = 8;
    private const long UploadBytes = 50_000_000;

    private PostgresServer postgres = null!;
    private string connectionString = null!;
    private readonly List<HostProcess> silos = [];
    private readonly List<HostProcess> apis = [];

    public async Task InitializeAsync()
    {
        postgres = await PostgresServer.StartAsync();
        connectionString = await postgres.CreateDatabaseAsync("recordings_drain");
        silos.Add(await HostProcess.StartSiloAsync(SiloSettings("silo1")));
        silos.Add(await HostProcess.StartSiloAsync(SiloSettings("silo2")));
        apis.Add(await HostProcess.StartApiAsync(CommonSettings()));
        apis.Add(await HostProcess.StartApiAsync(CommonSettings()));
    }

    [Fact]
    public async Task A_sigterm_to_a_silo_and_an_api_host_fails_no_upload_in_flight_and_sends_new_ones_elsewhere()
    {
        var uploads = StartUploads();
        await Task.WhenAll(uploads.Select(upload => upload.Stream.Paused));

        // Stop the silo holding more of the uploads in flight (each silo holds those its gateway placed), and API host 1.
        var active = await WaitForActiveUploadsAsync();
        var draining = active[0] >= active[1] ? 0 : 1;
        var drainingSilo = silos[draining];
        await drainingSilo.SignalTerminateAsync();
        await apis[0].SignalTerminateAsync();

        // Both stop being ready at once, while they still serve what they have.
        await WaitForStatusAsync(drainingSilo.Client, "/health/ready", HttpStatusCode.ServiceUnavailable);
        await WaitForStatusAsync(apis[0].Client, "/health/ready", HttpStatusCode.ServiceUnavailable);

        // New uploads go to the other silo meanwhile.
        var newSession = RecordingsHttp.NewSessionId();
        for (var i = 0; i < 3; i++)
        {
            await apis[1].Client.UploadOkAsync(newSession, RecordingsHttp.RandomBytes(256 * 1024));
        }

        foreach (var upload in uploads)
        {
            upload.Stream.Resume();
        }

        var answers = await Task.WhenAll(uploads.Select(upload => upload.Answer));
        Assert.All(answers, answer => Assert.True(answer.Status == HttpStatusCode.OK, $"{answer.Status}: {answer.Body}"));

        // Both leave on their own, cleanly, within the grace period.
        Assert.Equal(0, await drainingSilo.WaitForExitAsync(TimeSpan.FromSeconds(65)));
        Assert.Equal(0, await apis[0].WaitForExitAsync(TimeSpan.FromSeconds(65)));

        // Nothing acknowledged is lost: every record, file and hash is there, some on the silo that drained.
        var storedOn = new List<string>();
        for (var i = 0; i < Clients; i++)
        {
            Assert.Equal(uploads[i].Stream.Sha256Hex, answers[i].Body.Str("sha256"));
            var item = Assert.Single((await apis[1].Client.ListAsync(uploads[i].Session)).GetProperty("recordings").EnumerateArray());
            var silo = item.Str("silo");
            storedOn.Add(silo);
            var file = new FileInfo(Path.Combine(SiloNamed(silo).RecordingsDirectory, uploads[i].Session, item.Str("filename")));
            Assert.Equal(UploadBytes, file.Length);
        }

        Assert.Equal(active[draining], storedOn.Count(silo => silo == NameOf(draining)));
        var newUploads = (await apis[1].Client.ListAsync(newSession)).GetProperty("recordings").EnumerateArray().ToList();
        Assert.Equal(3, newUploads.Count);
        Assert.All(newUploads, item => Assert.Equal(NameOf(1 - draining), item.Str("silo")));
        Assert.Empty(Directory.GetFiles(Path.Combine(drainingSilo.RecordingsDirectory, "~spool")));
        Assert.Contains("Drained: no upload running", drainingSilo.Output);
    }

    [Fact]
    public async Task A_killed_silo_and_api_host_lose_no_acknowledged_upload()
    {
        var uploads = StartUploads();
        await Task.WhenAll(uploads.Select(upload => upload.Stream.Paused));
        var active = await WaitForActiveUploadsAsync();
        var killed = active[0] >= active[1] ? 0 : 1;

        await silos[killed].KillAsync();
        await apis[0].KillAsync();
        foreach (var upload in uploads)
        {
            upload.Stream.Resume();
        }

        var answers = await Task.WhenAll(uploads.Select(upload => upload.Answer.ContinueWith(
            answer => answer.IsCompletedSuccessfully ? answer.Result : (Status: HttpStatusCode.BadGateway, Body: default(JsonElement)),
            TaskScheduler.Default)));

        // Uploads in flight on the dead hosts may fail (never acknowledged); every acknowledged one is recorded and kept.
        Assert.Contains(answers, answer => answer.Status != HttpStatusCode.OK);
        for (var i = 0; i < Clients; i++)
        {
            var list = (await apis[1].Client.ListAsync(uploads[i].Session)).GetProperty("recordings").EnumerateArray().ToList();
            if (answers[i].Status != HttpStatusCode.OK)
            {
                continue;
            }

            var item = Assert.Single(list);
            Assert.Equal(answers[i].Body.Str("sha256"), uploads[i].Stream.Sha256Hex);
            var file = new FileInfo(Path.Combine(SiloNamed(item.Str("silo")).RecordingsDirectory, uploads[i].Session, item.Str("filename")));
            Assert.Equal(UploadBytes, file.Length);
        }
    }

    private sealed record Upload(string Session, PausingUploadStream Stream, Task<(HttpStatusCode Status, JsonElement Body)> Answer);

    /// <summary>Eight 50 MB uploads, half through each API host, each paused once half of it is sent.</summary>
    private List<Upload> StartUploads() =>
        [.. Enumerable.Range(0, Clients).Select(i =>
        {
            var session = RecordingsHttp.NewSessionId();
            var stream = new PausingUploadStream(UploadBytes, UploadBytes / 2, seed: i);
            return new Upload(session, stream, PostAsync(apis[i % 2].Client, session, stream));
        })];

    private static async Task<(HttpStatusCode, JsonElement)> PostAsync(HttpClient client, string session, Stream file)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("session"), "recording_type" },
        };
        var content = new StreamContent(file, 1024 * 1024);
        content.Headers.ContentType = new MediaTypeHeaderValue("video/webm");
        form.Add(content, "recording", "interview.webm");
        using var response = await client.PostAsync($"/recordings/upload/{session}", form);
        return (response.StatusCode, await RecordingsHttp.ReadJsonAsync(response));
    }

    /// <summary>Uploads streaming into each silo, read from its metrics once all of them have been placed.</summary>
    private async Task<int[]> WaitForActiveUploadsAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var counts = await Task.WhenAll(silos.Select(async silo => ActiveUploads(await silo.Client.GetStringAsync("/metrics"))));
            if (counts.Sum() == Clients || DateTime.UtcNow > deadline)
            {
                Assert.Equal(Clients, counts.Sum());
                return counts;
            }

            await Task.Delay(200);
        }
    }

    private static int ActiveUploads(string scrape) => (int)PrometheusScrape.Sum(scrape, "recordings_uploads_active");

    private static async Task WaitForStatusAsync(HttpClient client, string path, HttpStatusCode wanted)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            using var response = await client.GetAsync(path);
            if (response.StatusCode == wanted)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{path} stayed {(int)response.StatusCode}");
            await Task.Delay(100);
        }
    }

    private static string NameOf(int silo) => $"silo{silo + 1}";

    private HostProcess SiloNamed(string name) => silos[name == "silo1" ? 0 : 1];

    private Dictionary<string, string?> SiloSettings(string name)
    {
        var settings = TestSiloSettings.Named(name, CommonSettings());
        // The uploads stay paused while the test stops hosts, longer than the default 12 s of silence after which an
        // upload grain takes its API host for dead; no Supabase here, so the stall timeout sets only that.
        settings["Recordings__SupabaseStallTimeout"] = "00:00:30";
        settings["Recordings__GrainCallTimeout"] = "00:01:10";
        return settings;
    }

    private Dictionary<string, string?> CommonSettings() => new()
    {
        ["ConnectionStrings__Postgres"] = connectionString,
        ["Orleans__AdvertisedAddress"] = "127.0.0.1",
        ["Orleans__ClusterId"] = "recordings-drain",
    };

    public async Task DisposeAsync()
    {
        foreach (var host in apis.Concat(silos))
        {
            await host.DisposeAsync();
        }

        await postgres.DisposeAsync();
    }
}
