using System.Text.Json;

namespace Recordings.FunctionalTests.Resync;

/// <summary>Re-sync on a real host: each local recording on its own, a permanent refusal set aside, the others moved.</summary>
public sealed class ResyncTests : IAsyncLifetime
{
    private SupabaseStorageTestServer supabase = null!;
    private HostProcess api = null!;

    public async Task InitializeAsync()
    {
        supabase = await SupabaseStorageTestServer.StartAsync();
        // Supabase checks no chunked body against a limit: the client refuses what is over the bucket's own limit,
        // learned when the host reads the bucket at start.
        supabase.CreateBucket(SupabaseApiFixture.Bucket, isPublic: true, fileSizeLimit: 100_000);
        var settings = SupabaseApiFixture.SettingsFor(supabase);
        settings["Resync__Interval"] = "00:00:01";
        settings["Resync__MaxBackoff"] = "00:00:02";
        settings["Supabase__CircuitBreakDuration"] = "00:00:01";
        api = await HostProcess.StartApiAsync(settings);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!api.Output.Contains("Supabase bucket ready", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "the host did not read the bucket within 30 s");
            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        await supabase.DisposeAsync();
    }

    [Fact]
    public async Task A_file_supabase_refuses_for_good_is_set_aside_and_the_files_behind_it_still_move()
    {
        var sessionId = RecordingsHttp.NewSessionId();
        supabase.Fault = SupabaseFault.Status500;
        // Newest first is the order re-sync works in: the big one, which Supabase will refuse, comes before the small.
        var small = await api.Client.UploadOkAsync(sessionId, RecordingsHttp.RandomBytes(10_000), "small");
        var big = await api.Client.UploadOkAsync(sessionId, RecordingsHttp.RandomBytes(300_000), "big");
        Assert.Equal("local", small.Str("storage_type"));
        Assert.Equal("local", big.Str("storage_type"));

        supabase.Fault = SupabaseFault.None;

        var listed = await WaitForListAsync(sessionId, recordings =>
            Item(recordings, small.Str("filename")).Str("storage_type") == "supabase" &&
            Item(recordings, big.Str("filename")).TryGetProperty("resync_error", out _));

        var refused = Item(listed, big.Str("filename"));
        Assert.Equal("local", refused.Str("storage_type"));
        Assert.Contains("exceeded the maximum allowed size", refused.Str("resync_error"));
        Assert.True(supabase.Exists(SupabaseApiFixture.Bucket, $"{sessionId}/{small.Str("filename")}"));
        Assert.False(supabase.Exists(SupabaseApiFixture.Bucket, $"{sessionId}/{big.Str("filename")}"));
        Assert.Single(api.Output.Split('\n'), line => line.Contains("sets", StringComparison.Ordinal) && line.Contains(big.Str("filename"), StringComparison.Ordinal));
    }

    private static JsonElement Item(JsonElement recordings, string filename) =>
        recordings.EnumerateArray().Single(item => item.Str("filename") == filename);

    private async Task<JsonElement> WaitForListAsync(string sessionId, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var recordings = (await api.Client.ListAsync(sessionId)).GetProperty("recordings");
            if (done(recordings))
            {
                return recordings;
            }

            Assert.True(DateTime.UtcNow < deadline, $"re-sync did not get there in 30 s: {recordings}");
            await Task.Delay(200);
        }
    }
}
