using System.Net;
using System.Net.Http.Headers;
using Recordings.Abstractions;
using Recordings.Testing;
using Recordings.FunctionalTests.Infrastructure;

namespace Recordings.FunctionalTests.Api;

/// <summary>Every endpoint with Supabase not configured: the seed's local storage behaviour.</summary>
public sealed class LocalStoreTests(LocalApiFixture fixture) : IClassFixture<LocalApiFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Missing_credentials_are_reported_once_and_uploads_land_on_disk()
    {
        var session = RecordingsHttp.NewSessionId();
        var data = RecordingsHttp.RandomBytes(100_000);

        var body = await Client.UploadOkAsync(session, data);

        var filename = body.Str("filename");
        Assert.Equal("local", body.Str("storage_type"));
        Assert.Equal($"Recording saved locally (Supabase unavailable): {filename}", body.Str("message"));
        Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(fixture.Api.RecordingsDirectory, session, filename)));
        Assert.Single(fixture.Api.Output.Split('\n'), line => line.Contains("Supabase client not initialized"));
    }

    [Fact]
    public async Task Local_download_streams_the_file_with_its_content_type_and_ranges()
    {
        var session = RecordingsHttp.NewSessionId();
        var data = RecordingsHttp.RandomBytes(700_000);
        await Client.UploadOkAsync(session, data);

        using var whole = await Client.GetAsync($"/recordings/{session}/download");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("video/webm", whole.Content.Headers.ContentType?.MediaType);
        Assert.Equal(data, await whole.Content.ReadAsByteArrayAsync());

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/recordings/{session}/download");
        request.Headers.Range = new RangeHeaderValue(1000, 1999);
        using var partial = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal($"bytes 1000-1999/{data.Length}", partial.Content.Headers.ContentRange?.ToString());
        Assert.Equal(data.AsSpan(1000, 1000).ToArray(), await partial.Content.ReadAsByteArrayAsync());

        using var beyond = new HttpRequestMessage(HttpMethod.Get, $"/recordings/{session}/download");
        beyond.Headers.Range = new RangeHeaderValue(data.Length + 10, null);
        using var unsatisfiable = await Client.SendAsync(beyond);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, unsatisfiable.StatusCode);
    }

    [Fact]
    public async Task Info_list_and_delete_work_for_local_recordings()
    {
        var session = RecordingsHttp.NewSessionId();
        var older = (await Client.UploadOkAsync(session, RecordingsHttp.RandomBytes(10))).Str("filename");
        var newer = (await Client.UploadOkAsync(session, RecordingsHttp.RandomBytes(20), "screen")).Str("filename");

        var (_, info) = await Client.GetJsonAsync($"/recordings/{session}");
        Assert.Equal(newer, info.Str("filename"));
        Assert.Equal("local", info.Str("storage_type"));
        Assert.Equal(20, info.GetProperty("file_size").GetInt64());

        var list = await Client.ListAsync(session);
        Assert.Equal([newer, older], list.Filenames());
        Assert.False(list.GetProperty("recordings")[0].TryGetProperty("public_url", out _));

        var (status, deleted) = await Client.DeleteJsonAsync($"/recordings/{session}/{newer}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal($"Recording deleted from local storage: {newer}", deleted.Str("message"));
        Assert.False(File.Exists(Path.Combine(fixture.Api.RecordingsDirectory, session, newer)));
        Assert.Equal([older], (await Client.ListAsync(session)).Filenames());
    }

    [Fact]
    public async Task Files_left_on_disk_by_the_old_server_are_listed_and_downloadable()
    {
        var session = RecordingsHttp.NewSessionId();
        var oldName = $"session_recording_{session}_20240102_030405.mp4";
        var folder = Directory.CreateDirectory(Path.Combine(fixture.Api.RecordingsDirectory, session));
        var data = RecordingsHttp.RandomBytes(4321);
        await File.WriteAllBytesAsync(Path.Combine(folder.FullName, oldName), data);

        var list = await Client.ListAsync(session);
        var item = Assert.Single(list.GetProperty("recordings").EnumerateArray());
        Assert.Equal(oldName, item.Str("filename"));
        Assert.Equal("local", item.Str("storage_type"));
        Assert.Equal("2024-01-02T03:04:05", item.Str("upload_time"));

        using var download = await Client.GetAsync($"/recordings/{session}/download");
        Assert.Equal("video/mp4", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(data, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Uploads_over_the_limit_get_413_and_leave_nothing_behind()
    {
        var session = RecordingsHttp.NewSessionId();

        var (status, body) = await Client.UploadAsync(session, RecordingsHttp.RandomBytes(1048576 + 1));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("1048576", body.Str("detail"));
        Assert.Equal(0, (await Client.ListAsync(session)).GetProperty("total_count").GetInt32());
        Assert.False(Directory.Exists(Path.Combine(fixture.Api.RecordingsDirectory, session)));
        await WaitForEmptySpoolAsync();

        // Exactly at the limit is fine.
        await Client.UploadOkAsync(session, RecordingsHttp.RandomBytes(1048576));
    }

    private async Task WaitForEmptySpoolAsync()
    {
        var spool = Path.Combine(fixture.Api.RecordingsDirectory, "~spool");
        for (var i = 0; i < 50 && Directory.Exists(spool) && Directory.GetFiles(spool).Length > 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.Empty(Directory.GetFiles(spool));
    }
}
