using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Recordings.Abstractions;
using Recordings.Testing;
using Recordings.FunctionalTests.Infrastructure;

namespace Recordings.FunctionalTests.Cluster;

/// <summary>Two silos and an API client on a real PostgreSQL: durability, per-silo local files, concurrency, re-sync.</summary>
public sealed class ClusterTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>, IAsyncLifetime
{
    // What the README promises: re-sync starts within Resync__Interval (10 s by default; 1 s here) of Supabase answering.
    private static readonly TimeSpan ResyncDeadline = TimeSpan.FromSeconds(30);

    private HttpClient Client => fixture.Client;

    public async Task InitializeAsync()
    {
        fixture.Supabase.Fault = SupabaseFault.None;
        await fixture.Supabase.AcceptConnectionsAsync();
    }

    public Task DisposeAsync() => InitializeAsync();

    [Fact]
    public async Task A_killed_silo_loses_no_acknowledged_recording_and_its_local_files_answer_503_until_it_returns()
    {
        var session = RecordingsHttp.NewSessionId();
        var inCloud = (await Client.UploadOkAsync(session, RecordingsHttp.RandomBytes(1000))).Str("filename");
        await fixture.Supabase.RefuseConnectionsAsync();
        var local = new Dictionary<string, byte[]>();
        for (var i = 0; i < 8; i++)
        {
            var data = RecordingsHttp.RandomBytes(5000 + i);
            local[(await Client.UploadOkAsync(session, data)).Str("filename")] = data;
        }

        var before = await Client.ListAsync(session);
        var holders = before.GetProperty("recordings").EnumerateArray()
            .Where(r => r.Str("storage_type") == "local")
            .ToDictionary(r => r.Str("filename"), r => r.Str("silo"));
        Assert.Equal(local.Keys.Order(), holders.Keys.Order());
        var victim = holders.Values.First();

        await fixture.SiloNamed(victim).KillAsync();
        try
        {
            var during = await EventuallyAsync(async () =>
            {
                var (status, list) = await Client.GetJsonAsync($"/recordings/{session}/list");
                return status == HttpStatusCode.OK ? list : (System.Text.Json.JsonElement?)null;
            });
            Assert.Equal(before.Filenames(), during.Filenames());
            Assert.Contains(inCloud, during.Filenames());

            // The newest recording: served by its silo, or 503 naming the reason while that silo is down.
            var newest = before.Filenames()[0];
            var (status, body) = await EventuallyStatusAsync($"/recordings/{session}/download",
                holders[newest] == victim ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK);
            if (holders[newest] == victim)
            {
                Assert.Contains(victim, body);
            }
        }
        finally
        {
            await fixture.SiloNamed(victim).StartAgainAsync();
        }

        var newestName = before.Filenames()[0];
        var (finalStatus, _) = await EventuallyStatusAsync($"/recordings/{session}/download", HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, finalStatus);
        using var download = await Client.GetAsync($"/recordings/{session}/download");
        Assert.Equal(local[newestName], await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_thousand_concurrent_uploads_and_deletes_leave_exactly_the_surviving_uploads()
    {
        var session = RecordingsHttp.NewSessionId();
        var acknowledged = new ConcurrentDictionary<string, bool>();
        var deletable = new ConcurrentQueue<string>();
        var operations = Enumerable.Range(0, 1000).ToArray();

        await Parallel.ForEachAsync(operations, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            if (i % 3 == 2 && deletable.TryDequeue(out var victim))
            {
                var (status, _) = await Client.DeleteJsonAsync($"/recordings/{session}/{victim}");
                Assert.Equal(HttpStatusCode.OK, status);
                acknowledged[victim] = false;
                return;
            }

            var name = (await Client.UploadOkAsync(session, RecordingsHttp.RandomBytes(512 + i))).Str("filename");
            Assert.True(acknowledged.TryAdd(name, true), $"name handed out twice: {name}");
            deletable.Enqueue(name);
        });

        var expected = acknowledged.Where(a => a.Value).Select(a => a.Key).Order().ToArray();
        Assert.True(expected.Length > 250, $"only {expected.Length} uploads survived");
        Assert.Equal(expected, (await Client.ListAsync(session)).Filenames().Order().ToArray());
        var inBucket = fixture.Supabase.Objects(ClusterFixture.Bucket)
            .Where(o => o.Path.StartsWith(session + "/", StringComparison.Ordinal))
            .Select(o => o.Path[(session.Length + 1)..]).Order().ToArray();
        Assert.Equal(expected, inBucket);
        Assert.Empty(LocalFiles(session));
    }

    [Fact]
    public async Task Local_recordings_on_both_silos_move_to_supabase_once_it_answers_again()
    {
        var session = RecordingsHttp.NewSessionId();
        await fixture.Supabase.RefuseConnectionsAsync();
        var sent = new Dictionary<string, string>();
        for (var i = 0; i < 12; i++)
        {
            var data = RecordingsHttp.RandomBytes(20_000 + i);
            var body = await Client.UploadOkAsync(session, data);
            Assert.Equal("local", body.Str("storage_type"));
            sent[body.Str("filename")] = Convert.ToHexStringLower(SHA256.HashData(data));
        }

        Assert.NotEmpty(LocalFiles(session));
        await fixture.Supabase.AcceptConnectionsAsync();

        var list = await EventuallyAsync(async () =>
        {
            var current = await Client.ListAsync(session);
            var allInCloud = current.GetProperty("recordings").EnumerateArray().All(r => r.Str("storage_type") == "supabase");
            return allInCloud && LocalFiles(session).Length == 0 ? current : (System.Text.Json.JsonElement?)null;
        }, ResyncDeadline);

        Assert.Equal(sent.Keys.Order(), list.Filenames().Order());
        foreach (var stored in fixture.Supabase.Objects(ClusterFixture.Bucket).Where(o => o.Path.StartsWith(session + "/", StringComparison.Ordinal)))
        {
            Assert.Equal(sent[stored.Path[(session.Length + 1)..]], stored.Sha256Hex);
        }

        Assert.Equal(sent.Count, fixture.Supabase.Objects(ClusterFixture.Bucket).Count(o => o.Path.StartsWith(session + "/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_import_tool_moves_an_old_servers_recordings_to_supabase_once_and_resumes_after_an_interruption()
    {
        var session = RecordingsHttp.NewSessionId();
        var folder = Directory.CreateTempSubdirectory("legacy-recordings-");
        var sessionFolder = folder.CreateSubdirectory(session);
        var files = new Dictionary<string, byte[]>
        {
            [$"session_recording_{session}_20241201_143022.webm"] = RecordingsHttp.RandomBytes(3000),
            [$"screen_recording_{session}_20241201_143500.webm"] = RecordingsHttp.RandomBytes(4000),
            [$"session_recording_{session}_20241202_090000.mp4"] = RecordingsHttp.RandomBytes(5000),
        };
        foreach (var (name, data) in files)
        {
            await File.WriteAllBytesAsync(Path.Combine(sessionFolder.FullName, name), data);
        }

        await File.WriteAllTextAsync(Path.Combine(sessionFolder.FullName, "notes.txt"), "not a recording");
        // The session is live (new uploads arrive), and an earlier run was interrupted after uploading one file
        // but before registering it: the tool finds the object there, verifies it and registers it.
        var recent = (await Client.UploadOkAsync(session, RecordingsHttp.RandomBytes(100))).Str("filename");
        var interrupted = files.Keys.First();
        fixture.Supabase.PutObject(ClusterFixture.Bucket, $"{session}/{interrupted}", files[interrupted]);

        var (exitCode, output) = await fixture.RunImportAsync(folder.FullName);

        Assert.True(exitCode == 0, output);
        Assert.True(output.Contains("Imported 3, already done 0, skipped 1, failed 0"), output);
        var list = await Client.ListAsync(session);
        Assert.Equal(files.Keys.Append(recent).Order(), list.Filenames().Order());
        Assert.All(list.GetProperty("recordings").EnumerateArray(), r => Assert.Equal("supabase", r.Str("storage_type")));
        Assert.Equal([recent, $"session_recording_{session}_20241202_090000.mp4"], list.Filenames()[..2]);
        foreach (var (name, data) in files)
        {
            var stored = fixture.Supabase.Objects(ClusterFixture.Bucket).Single(o => o.Path == $"{session}/{name}");
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), stored.Sha256Hex);
        }

        var (secondExit, secondOutput) = await fixture.RunImportAsync(folder.FullName);
        Assert.True(secondExit == 0, secondOutput);
        Assert.True(secondOutput.Contains("Imported 0, already done 3, skipped 1, failed 0"), secondOutput);
        folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Silos_and_api_hosts_join_and_leave_while_uploads_run()
    {
        var session = RecordingsHttp.NewSessionId();
        var acknowledged = new ConcurrentBag<string>();
        var answers = new ConcurrentBag<HttpStatusCode>();
        using var stop = new CancellationTokenSource();

        async Task UploadLoopAsync(HttpClient client)
        {
            for (var i = 0; i < 2000 && !stop.IsCancellationRequested; i++)
            {
                var (status, body) = await client.UploadAsync(session, RecordingsHttp.RandomBytes(2048));
                answers.Add(status);
                if (status == HttpStatusCode.OK)
                {
                    acknowledged.Add(body.Str("filename"));
                }
            }
        }

        // Each change of the cluster happens while uploads are answered: wait for answers, never for a guessed time.
        async Task AnswersAsync(int more)
        {
            var target = answers.Count + more;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (answers.Count < target)
            {
                Assert.True(DateTime.UtcNow < deadline, $"only {answers.Count} of {target} uploads answered in time");
                await Task.Delay(50);
            }
        }

        var first = UploadLoopAsync(Client);
        var silo3 = await HostProcess.StartSiloAsync(fixture.SiloSettings("silo3"));
        var api2 = await HostProcess.StartApiAsync(fixture.CommonSettings());
        var second = UploadLoopAsync(api2.Client);
        await AnswersAsync(30);
        await silo3.StopAsync();
        await AnswersAsync(20);
        await api2.StopAsync();
        await AnswersAsync(10);
        await stop.CancelAsync();
        await first;
        await second.ContinueWith(_ => { }, TaskScheduler.Default); // api2 went away under its own loop
        await silo3.DisposeAsync();
        await api2.DisposeAsync();

        // An upload may be refused with 503 while a silo leaves (it is not acknowledged, the client sends it again);
        // never another error, and every acknowledged upload is kept.
        Assert.True(answers.All(status => status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable),
            $"unexpected answers {string.Join(", ", answers.Where(a => a is not HttpStatusCode.OK and not HttpStatusCode.ServiceUnavailable))}:\n" +
            string.Join('\n', (fixture.Api.Output + api2.Output).Split('\n').SkipWhile(line => !line.Contains("Unhandled error")).Take(30)));
        Assert.True(acknowledged.Count > 20, $"only {acknowledged.Count} uploads were acknowledged");
        var listed = (await Client.ListAsync(session)).Filenames();
        Assert.True(acknowledged.Order().SequenceEqual(listed.Order()),
            $"acknowledged, not listed: [{string.Join(", ", acknowledged.Except(listed))}]; " +
            $"listed, not acknowledged: [{string.Join(", ", listed.Except(acknowledged))}]; answers: " +
            string.Join(", ", answers.GroupBy(a => a).Select(g => $"{(int)g.Key} x {g.Count()}")));
    }

    private string[] LocalFiles(string session) =>
        new[] { fixture.Silo1, fixture.Silo2 }
            .Select(silo => Path.Combine(silo.RecordingsDirectory, session))
            .Where(Directory.Exists)
            .SelectMany(Directory.GetFiles)
            .ToArray();

    private async Task<(HttpStatusCode, string)> EventuallyStatusAsync(string path, HttpStatusCode wanted)
    {
        var last = (HttpStatusCode.OK, string.Empty);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await Client.GetAsync(path);
            last = (response.StatusCode, await response.Content.ReadAsStringAsync());
            if (response.StatusCode == wanted)
            {
                return last;
            }

            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable,
                $"never a wrong answer: got {(int)response.StatusCode} {last.Item2}");
            await Task.Delay(250);
        }

        throw new TimeoutException($"{path} never answered {wanted}; last {last.Item1}: {last.Item2}");
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, TimeSpan? within = null) where T : struct
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(45));
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or Xunit.Sdk.XunitException)
            {
                // The cluster is still settling; try again.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("The cluster did not reach the expected state in time.");
    }
}
