using System.Net;
using Recordings.Abstractions;
using Recordings.Testing;
using Recordings.FunctionalTests.Infrastructure;

namespace Recordings.FunctionalTests.Api;

/// <summary>Whatever way Supabase fails, an upload is acknowledged only once its bytes are safe on local disk.</summary>
public sealed class FallbackTests(FallbackApiFixture fixture) : IClassFixture<FallbackApiFixture>, IAsyncLifetime
{
    private HttpClient Client => fixture.Client;

    public Task InitializeAsync() => fixture.HealAsync();

    public Task DisposeAsync() => fixture.HealAsync();

    [Fact]
    public Task Refused_connections_fall_back_to_local_disk() =>
        AssertFallsBackAsync(() => fixture.Supabase.RefuseConnectionsAsync());

    [Fact]
    public Task A_500_answer_falls_back_to_local_disk() =>
        AssertFallsBackAsync(() =>
        {
            fixture.Supabase.Fault = SupabaseFault.Status500;
            return Task.CompletedTask;
        });

    [Fact]
    public Task A_stalled_supabase_falls_back_to_local_disk() =>
        AssertFallsBackAsync(() =>
        {
            fixture.Supabase.Fault = SupabaseFault.Stall;
            return Task.CompletedTask;
        });

    [Fact]
    public Task An_upload_over_the_buckets_size_limit_falls_back_to_local_disk_without_reaching_supabase() =>
        AssertFallsBackAsync(() => Task.CompletedTask, size: (int)FallbackApiFixture.BucketSizeLimit + 1);

    [Fact]
    public async Task Listing_merges_both_stores_newest_first_and_downloads_each_its_own_way()
    {
        var session = RecordingsHttp.NewSessionId();
        var inCloud = (await Client.UploadOkAsync(session, RecordingsHttp.RandomBytes(1000))).Str("filename");
        await fixture.Supabase.RefuseConnectionsAsync();
        var localData = RecordingsHttp.RandomBytes(2000);
        var onDisk = await Client.UploadOkAsync(session, localData, "screen");
        Assert.Equal("local", onDisk.Str("storage_type"));

        var list = await Client.ListAsync(session);
        Assert.Equal(2, list.GetProperty("total_count").GetInt32());
        Assert.Equal([onDisk.Str("filename"), inCloud], list.Filenames());
        Assert.Equal(["local", "supabase"], list.GetProperty("recordings").EnumerateArray().Select(r => r.Str("storage_type")));

        // The newest is local: download serves its bytes even while Supabase is down.
        using var download = await Client.GetAsync($"/recordings/{session}/download");
        Assert.Equal(localData, await download.Content.ReadAsByteArrayAsync());

        // Deleting the local one leaves the Supabase one as the newest, served as a link.
        var (status, _) = await Client.DeleteJsonAsync($"/recordings/{session}/{onDisk.Str("filename")}");
        Assert.Equal(HttpStatusCode.OK, status);
        var (_, link) = await Client.GetJsonAsync($"/recordings/{session}/download");
        Assert.Equal("supabase", link.Str("storage_type"));
    }

    [Fact]
    public async Task Deleting_a_supabase_recording_while_supabase_is_down_is_503_and_keeps_it()
    {
        var session = RecordingsHttp.NewSessionId();
        var filename = (await Client.UploadOkAsync(session, RecordingsHttp.RandomBytes(100))).Str("filename");
        fixture.Supabase.Fault = SupabaseFault.Status500;

        var (status, body) = await Client.DeleteJsonAsync($"/recordings/{session}/{filename}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("Supabase", body.Str("detail"));
        Assert.Equal([filename], (await Client.ListAsync(session)).Filenames());
    }

    private async Task AssertFallsBackAsync(Func<Task> breakSupabase, int size = 300 * 1024)
    {
        var session = RecordingsHttp.NewSessionId();
        var data = RecordingsHttp.RandomBytes(size);
        await breakSupabase();

        var body = await Client.UploadOkAsync(session, data);

        var filename = body.Str("filename");
        Assert.Equal("local", body.Str("storage_type"));
        Assert.Equal($"Recording saved locally (Supabase unavailable): {filename}", body.Str("message"));
        Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(fixture.Api.RecordingsDirectory, session, filename)));
        // This upload's own line (the output holds every earlier test's lines too); the host's console logger writes it
        // from a queue, so it may reach us just after the answer.
        await Poll.UntilAsync(() => fixture.Api.Output.Split('\n').Any(line =>
            line.Contains("Failed to upload recording to Supabase", StringComparison.Ordinal) && line.Contains($"{session}/{filename}", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10));
        Assert.False(fixture.Supabase.Exists(SupabaseApiFixture.Bucket, $"{session}/{filename}"));
        Assert.Equal([filename], (await Client.ListAsync(session)).Filenames());
    }
}
