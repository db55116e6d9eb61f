using System.Net;
using System.Security.Cryptography;
using Recordings.Abstractions;
using Recordings.Testing;
using Recordings.FunctionalTests.Infrastructure;

namespace Recordings.FunctionalTests.Api;

/// <summary>Every endpoint against the real host with Supabase (the loopback test server) healthy.</summary>
public sealed class SupabaseStoreTests(SupabaseApiFixture fixture) : IClassFixture<SupabaseApiFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Upload_stores_the_file_in_the_bucket_under_the_seed_name()
    {
        var session = RecordingsHttp.NewSessionId();
        var data = RecordingsHttp.RandomBytes(3 * 1024 * 1024 + 17);

        var body = await Client.UploadOkAsync(session, data, "screen");

        var filename = body.Str("filename");
        Assert.Matches($"^screen_recording_{session}_\\d{{8}}_\\d{{6}}(_\\d+)?\\.webm$", filename);
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal($"{session}/{filename}", body.Str("file_path"));
        Assert.Equal(data.Length, body.GetProperty("file_size").GetInt64());
        Assert.Equal($"Recording uploaded to Supabase successfully: {filename}", body.Str("message"));
        Assert.Equal("supabase", body.Str("storage_type"));
        var sha = Convert.ToHexStringLower(SHA256.HashData(data));
        Assert.Equal(sha, body.Str("sha256"));

        var stored = fixture.Supabase.Objects(SupabaseApiFixture.Bucket).Single(o => o.Path == $"{session}/{filename}");
        Assert.Equal(data.Length, stored.Size);
        Assert.Equal(sha, stored.Sha256Hex);
        Assert.Empty(Directory.Exists(Path.Combine(fixture.Api.RecordingsDirectory, session))
            ? Directory.GetFiles(Path.Combine(fixture.Api.RecordingsDirectory, session)) : []);
    }

    [Fact]
    public async Task Recording_type_sent_after_the_file_still_names_and_stores_it()
    {
        var session = RecordingsHttp.NewSessionId();
        var data = RecordingsHttp.RandomBytes(2 * 1024 * 1024);

        var (status, body) = await Client.UploadAsync(session, data, "camera", typeFirst: false);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("camera_recording_", body.Str("filename"));
        Assert.Equal("supabase", body.Str("storage_type"));
        Assert.Equal(data.Length, fixture.Supabase.Objects(SupabaseApiFixture.Bucket).Single(o => o.Path == body.Str("file_path")).Size);
    }

    [Fact]
    public async Task Info_download_and_list_describe_the_newest_supabase_recording()
    {
        var session = RecordingsHttp.NewSessionId();
        await Client.UploadOkAsync(session, RecordingsHttp.RandomBytes(1000));
        var newest = await Client.UploadOkAsync(session, RecordingsHttp.RandomBytes(2000), "screen");
        var filename = newest.Str("filename");
        var publicUrl = $"{fixture.Supabase.Url}/storage/v1/object/public/{SupabaseApiFixture.Bucket}/{session}/{filename}";

        var (status, info) = await Client.GetJsonAsync($"/recordings/{session}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(session, info.Str("session_id"));
        Assert.Equal($"{session}/{filename}", info.Str("file_path"));
        Assert.Equal(2000, info.GetProperty("file_size").GetInt64());
        Assert.True(DateTime.TryParse(info.Str("upload_time"), out _));
        Assert.Equal(publicUrl, info.Str("public_url"));
        Assert.Equal(SupabaseApiFixture.Bucket, info.Str("bucket"));
        Assert.Equal("supabase", info.Str("storage_type"));

        var (downloadStatus, download) = await Client.GetJsonAsync($"/recordings/{session}/download");
        Assert.Equal(HttpStatusCode.OK, downloadStatus);
        Assert.Equal("supabase", download.Str("storage_type"));
        Assert.Equal(publicUrl, download.Str("public_url"));
        Assert.Equal(2000, download.GetProperty("file_size").GetInt64());

        // The public URL really serves the bytes.
        using var bytes = await new HttpClient().GetAsync(publicUrl);
        Assert.Equal(HttpStatusCode.OK, bytes.StatusCode);
        Assert.Equal(2000, (await bytes.Content.ReadAsByteArrayAsync()).Length);

        var list = await Client.ListAsync(session);
        Assert.Equal(2, list.GetProperty("total_count").GetInt32());
        var first = list.GetProperty("recordings")[0];
        Assert.Equal(filename, first.Str("filename"));
        Assert.Equal("supabase", first.Str("storage_type"));
        Assert.Equal(publicUrl, first.Str("public_url"));
        Assert.Equal(SupabaseApiFixture.Bucket, first.Str("bucket"));
        Assert.Equal(2000, first.GetProperty("file_size").GetInt64());
    }

    [Fact]
    public async Task Delete_removes_the_object_and_answers_with_the_seed_message()
    {
        var session = RecordingsHttp.NewSessionId();
        var filename = (await Client.UploadOkAsync(session, RecordingsHttp.RandomBytes(500))).Str("filename");

        var (status, body) = await Client.DeleteJsonAsync($"/recordings/{session}/{filename}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal(filename, body.Str("filename"));
        Assert.Equal($"Recording deleted from Supabase: {filename}", body.Str("message"));
        Assert.False(fixture.Supabase.Exists(SupabaseApiFixture.Bucket, $"{session}/{filename}"));
        Assert.Equal(0, (await Client.ListAsync(session)).GetProperty("total_count").GetInt32());

        var (again, detail) = await Client.DeleteJsonAsync($"/recordings/{session}/{filename}");
        Assert.Equal(HttpStatusCode.NotFound, again);
        Assert.Contains(filename, detail.Str("detail"));
    }

    [Fact]
    public async Task Probing_an_unknown_session_stores_nothing()
    {
        var session = RecordingsHttp.NewSessionId();

        var (status, body) = await Client.GetJsonAsync($"/recordings/{session}");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains(session, body.Str("detail"));
        var dataDirectory = Path.Combine(fixture.Api.WorkingDirectory, "data");
        var stateFiles = Directory.Exists(dataDirectory)
            ? Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories).ToList()
            : [];
        Assert.DoesNotContain(stateFiles, path => path.Contains(session, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Uploads_in_the_same_second_never_share_a_name()
    {
        var session = RecordingsHttp.NewSessionId();
        var uploads = Enumerable.Range(0, 8).Select(_ => Client.UploadOkAsync(session, RecordingsHttp.RandomBytes(4096)));

        var names = (await Task.WhenAll(uploads)).Select(body => body.Str("filename")).ToArray();

        Assert.Equal(8, names.Distinct().Count());
        Assert.Equal(8, (await Client.ListAsync(session)).GetProperty("total_count").GetInt32());
        Assert.Equal(8, fixture.Supabase.Objects(SupabaseApiFixture.Bucket).Count(o => o.Path.StartsWith(session + "/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Recordings_left_in_the_bucket_by_the_old_server_are_listed_with_parsed_type_and_time()
    {
        var session = RecordingsHttp.NewSessionId();
        var oldName = $"screen_recording_{session}_20241201_143022.webm";
        fixture.Supabase.PutObject(SupabaseApiFixture.Bucket, $"{session}/{oldName}", RecordingsHttp.RandomBytes(321));

        var list = await Client.ListAsync(session);

        var item = Assert.Single(list.GetProperty("recordings").EnumerateArray());
        Assert.Equal(oldName, item.Str("filename"));
        Assert.Equal("supabase", item.Str("storage_type"));
        Assert.Equal(321, item.GetProperty("file_size").GetInt64());
        Assert.Equal("2024-12-01T14:30:22", item.Str("upload_time"));
    }
}
