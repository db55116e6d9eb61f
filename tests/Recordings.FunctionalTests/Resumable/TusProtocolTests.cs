using System.Net;
using System.Security.Cryptography;
using Recordings.Testing;

namespace Recordings.FunctionalTests.Resumable;

/// <summary>Every status and header of tus 1.0.0 as the endpoint promises them, against the real host.</summary>
public sealed class TusProtocolTests(ResumableApiFixture fixture) : IClassFixture<ResumableApiFixture>
{
    private readonly HttpClient client = fixture.Client;

    [Fact]
    public async Task Options_announce_the_version_extensions_max_size_and_sha1()
    {
        using var request = TusHttp.Request(HttpMethod.Options, TusHttp.Endpoint("s1"), tus: false);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("1.0.0", response.Header("Tus-Version"));
        Assert.Equal("1.0.0", response.Header("Tus-Resumable"));
        Assert.Equal("creation,creation-with-upload,creation-defer-length,termination,expiration,checksum", response.Header("Tus-Extension"));
        Assert.Equal(ResumableApiFixture.MaxUploadBytes.ToString(), response.Header("Tus-Max-Size"));
        Assert.Contains("sha1", response.Header("Tus-Checksum-Algorithm").Split(','));
    }

    [Fact]
    public async Task A_finished_upload_is_a_recording_exactly_like_a_multipart_one()
    {
        var session = RecordingsHttp.NewSessionId();
        var data = RecordingsHttp.RandomBytes(300_000);
        var metadata = TusHttp.Metadata(("filename", "take.webm"), ("filetype", "video/webm"), ("recording_type", "interview"));

        using var created = await client.CreateAsync(session, data.Length, metadata);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var url = created.Headers.Location!.OriginalString;
        Assert.Matches($"^/recordings/resumable/{session}/[^/]+$", url);
        Assert.True(DateTimeOffset.Parse(created.Header("Upload-Expires")) > DateTimeOffset.UtcNow);

        using (var head = await client.HeadAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(0, head.Offset());
            Assert.Equal(data.Length.ToString(), head.Header("Upload-Length"));
            Assert.Equal("no-store", head.Headers.CacheControl!.ToString());
            Assert.Equal(metadata, head.Header("Upload-Metadata"));
            Assert.NotEmpty(head.Header("Upload-Expires"));
        }

        using (var first = await client.PatchAsync(url, 0, data[..100_000]))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
            Assert.Equal(100_000, first.Offset());
            Assert.False(first.Headers.Contains("Recording-File-Path"));
        }

        string filePath;
        using (var last = await client.PatchAsync(url, 100_000, data[100_000..]))
        {
            Assert.Equal(HttpStatusCode.NoContent, last.StatusCode);
            Assert.Equal(data.Length, last.Offset());
            filePath = last.Header("Recording-File-Path");
        }

        var (status, answer) = await client.GetJsonAsync(url);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(answer.GetProperty("success").GetBoolean());
        Assert.Equal(filePath, answer.Str("file_path"));
        Assert.Equal(data.Length, answer.GetProperty("file_size").GetInt64());
        Assert.Equal("local", answer.Str("storage_type"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), answer.Str("sha256"));
        Assert.Matches($"^{session}/interview_recording_{session}_\\d{{8}}_\\d{{6}}\\.webm$", filePath);

        var list = await client.ListAsync(session);
        var item = Assert.Single(list.GetProperty("recordings").EnumerateArray());
        Assert.Equal(filePath, item.Str("file_path"));
        Assert.True(item.GetProperty("complete").GetBoolean());
        var (_, info) = await client.GetJsonAsync($"/recordings/{session}");
        Assert.True(info.GetProperty("complete").GetBoolean());
        Assert.Equal(data, await client.GetByteArrayAsync($"/recordings/{session}/download"));
    }

    [Fact]
    public async Task A_request_without_tus_resumable_answers_412()
    {
        var url = await client.CreateOkAsync(RecordingsHttp.NewSessionId(), 10);
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Head, HttpMethod.Patch, HttpMethod.Delete })
        {
            using var request = TusHttp.Request(method, method == HttpMethod.Post ? TusHttp.Endpoint("s1") : url, tus: false);
            request.Headers.Add("Upload-Length", "10");
            request.Headers.Add("Upload-Offset", "0");
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
            Assert.Equal("1.0.0", response.Header("Tus-Version"));
        }

        using var head = await client.HeadAsync(url);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Fact]
    public async Task A_wrong_offset_answers_409_and_changes_nothing()
    {
        var url = await client.CreateOkAsync(RecordingsHttp.NewSessionId(), 1000);
        using (var ok = await client.PatchAsync(url, 0, new byte[400]))
        {
            Assert.Equal(400, ok.Offset());
        }

        using var behind = await client.PatchAsync(url, 0, new byte[100]);
        using var ahead = await client.PatchAsync(url, 500, new byte[100]);

        Assert.Equal(HttpStatusCode.Conflict, behind.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, ahead.StatusCode);
        Assert.Contains("400", (await RecordingsHttp.ReadJsonAsync(ahead)).Str("detail"));
        using var head = await client.HeadAsync(url);
        Assert.Equal(400, head.Offset());
    }

    [Fact]
    public async Task A_checksum_mismatch_answers_460_and_drops_the_chunk()
    {
        var data = RecordingsHttp.RandomBytes(5000);
        var url = await client.CreateOkAsync(RecordingsHttp.NewSessionId(), data.Length);

        using (var wrong = await client.PatchAsync(url, 0, data[..3000], checksum: TusHttp.Sha1Checksum(data[..2999])))
        {
            Assert.Equal(460, (int)wrong.StatusCode);
            Assert.Contains("Checksum", (await RecordingsHttp.ReadJsonAsync(wrong)).Str("detail"));
        }

        using (var head = await client.HeadAsync(url))
        {
            Assert.Equal(0, head.Offset());
        }

        using (var right = await client.PatchAsync(url, 0, data[..3000], checksum: TusHttp.Sha1Checksum(data[..3000])))
        {
            Assert.Equal(HttpStatusCode.NoContent, right.StatusCode);
            Assert.Equal(3000, right.Offset());
        }

        using var unsupported = await client.PatchAsync(url, 3000, data[3000..], checksum: "md5 AAAA");
        Assert.Equal(HttpStatusCode.BadRequest, unsupported.StatusCode);
        using var last = await client.PatchAsync(url, 3000, data[3000..]);
        Assert.Equal(HttpStatusCode.NoContent, last.StatusCode);
        Assert.Equal(data, await client.GetByteArrayAsync($"/recordings/{(await client.GetJsonAsync(url)).Body.Str("file_path").Split('/')[0]}/download"));
    }

    [Fact]
    public async Task Past_the_size_limit_answers_413_and_keeps_what_was_acknowledged()
    {
        var session = RecordingsHttp.NewSessionId();
        var max = ResumableApiFixture.MaxUploadBytes;
        using (var tooLong = await client.CreateAsync(session, max + 1))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLong.StatusCode);
            Assert.StartsWith("File too large", (await RecordingsHttp.ReadJsonAsync(tooLong)).Str("detail"));
        }

        var deferred = await client.CreateOkAsync(session, null);
        using (var part = await client.PatchAsync(deferred, 0, new byte[max - 10]))
        {
            Assert.Equal(HttpStatusCode.NoContent, part.StatusCode);
        }

        using (var over = await client.PatchAsync(deferred, max - 10, new byte[11]))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over.StatusCode);
        }

        using (var head = await client.HeadAsync(deferred))
        {
            Assert.Equal(max - 10, head.Offset());
        }

        var fixedLength = await client.CreateOkAsync(session, 100);
        using var pastLength = await client.PatchAsync(fixedLength, 0, new byte[101]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, pastLength.StatusCode);
        using var declaredTooLong = await client.PatchAsync(deferred, max - 10, [], uploadLength: max + 1);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declaredTooLong.StatusCode);
        Assert.Equal(0, (await client.ListAsync(session)).GetProperty("total_count").GetInt32());
    }

    [Fact]
    public async Task An_unknown_upload_or_one_of_another_session_answers_404()
    {
        var session = RecordingsHttp.NewSessionId();
        var url = await client.CreateOkAsync(session, 10);
        var id = url.Split('/').Last();
        string[] unknown =
        [
            $"{TusHttp.Endpoint(session)}/{id[..^4]}beef",
            $"{TusHttp.Endpoint(session)}/not-an-upload-id",
            $"{TusHttp.Endpoint(RecordingsHttp.NewSessionId())}/{id}",
        ];

        foreach (var path in unknown)
        {
            using var head = await client.HeadAsync(path);
            using var patch = await client.PatchAsync(path, 0, new byte[5]);
            using var delete = await client.SendAsync(TusHttp.Request(HttpMethod.Delete, path));
            var (getStatus, getBody) = await client.GetJsonAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, patch.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, getStatus);
            Assert.NotEmpty(getBody.Str("detail"));
        }

        using var stillThere = await client.HeadAsync(url);
        Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
    }

    [Fact]
    public async Task Termination_answers_204_and_every_byte_is_gone()
    {
        var session = RecordingsHttp.NewSessionId();
        var url = await client.CreateOkAsync(session, 50_000);
        using (await client.PatchAsync(url, 0, new byte[20_000]))
        {
        }

        var spoolFile = Path.Combine(fixture.ResumableSpool, url.Split('/').Last() + ".part");
        Assert.Equal(20_000, new FileInfo(spoolFile).Length);

        using var delete = await client.SendAsync(TusHttp.Request(HttpMethod.Delete, url));

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.False(File.Exists(spoolFile));
        using var head = await client.HeadAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        using var patch = await client.PatchAsync(url, 20_000, new byte[10]);
        Assert.Equal(HttpStatusCode.NotFound, patch.StatusCode);
        Assert.Equal(0, (await client.ListAsync(session)).GetProperty("total_count").GetInt32());
        Assert.False(Directory.Exists(Path.Combine(fixture.Api.RecordingsDirectory, session)));
    }

    [Theory]
    [InlineData("recording_type", "bad type!")]
    [InlineData("recording_type", "a-type-that-is-far-too-long-for-the-seed-rules-because-it-has-more-than-64-chars")]
    public async Task Metadata_the_seed_endpoint_refuses_is_refused_at_creation_with_the_same_answer(string key, string value)
    {
        var session = RecordingsHttp.NewSessionId();
        var (seedStatus, seedBody) = await client.UploadAsync(session, new byte[10], value);
        var spooled = Directory.GetFiles(fixture.ResumableSpool).Length;

        using var response = await client.CreateAsync(session, 10, TusHttp.Metadata(("filename", "a.webm"), (key, value)));

        Assert.Equal(seedStatus, response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(seedBody.Str("detail"), (await RecordingsHttp.ReadJsonAsync(response)).Str("detail"));
        Assert.Equal(spooled, Directory.GetFiles(fixture.ResumableSpool).Length);
        Assert.Equal(0, (await client.ListAsync(session)).GetProperty("total_count").GetInt32());
    }

    [Fact]
    public async Task A_bad_session_id_or_malformed_metadata_answers_400()
    {
        var (_, seedBody) = await client.UploadAsync("bad..id", new byte[10]);
        using var badSession = await client.CreateAsync("bad..id", 10);
        Assert.Equal(HttpStatusCode.BadRequest, badSession.StatusCode);
        Assert.Equal(seedBody.Str("detail"), (await RecordingsHttp.ReadJsonAsync(badSession)).Str("detail"));

        using var notBase64 = await client.CreateAsync(RecordingsHttp.NewSessionId(), 10, "filename !!!");
        Assert.Equal(HttpStatusCode.BadRequest, notBase64.StatusCode);
        Assert.Contains("Upload-Metadata", (await RecordingsHttp.ReadJsonAsync(notBase64)).Str("detail"));

        using var request = TusHttp.Request(HttpMethod.Post, TusHttp.Endpoint(RecordingsHttp.NewSessionId()));
        using var noLength = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, noLength.StatusCode);
    }

    [Fact]
    public async Task Creation_with_upload_keeps_the_first_bytes()
    {
        var data = RecordingsHttp.RandomBytes(70_000);
        using var created = await client.CreateAsync(RecordingsHttp.NewSessionId(), data.Length, body: data[..50_000]);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(50_000, created.Offset());
        var url = created.Headers.Location!.OriginalString;
        using var last = await client.PatchAsync(url, 50_000, data[50_000..]);
        Assert.Equal(HttpStatusCode.NoContent, last.StatusCode);
        Assert.NotEmpty(last.Header("Recording-File-Path"));
    }

    [Fact]
    public async Task A_deferred_length_upload_finishes_when_the_last_patch_declares_the_length()
    {
        var session = RecordingsHttp.NewSessionId();
        var data = RecordingsHttp.RandomBytes(9000);
        var url = await client.CreateOkAsync(session, null);
        using (var head = await client.HeadAsync(url))
        {
            Assert.Equal("1", head.Header("Upload-Defer-Length"));
            Assert.False(head.Headers.Contains("Upload-Length"));
        }

        using (var part = await client.PatchAsync(url, 0, data[..4000]))
        {
            Assert.Equal(4000, part.Offset());
        }

        using (var end = await client.PatchAsync(url, 4000, data[4000..], uploadLength: data.Length))
        {
            Assert.Equal(HttpStatusCode.NoContent, end.StatusCode);
            Assert.Equal($"{data.Length}", end.Header("Upload-Length"));
            Assert.StartsWith($"{session}/session_recording_{session}_", end.Header("Recording-File-Path"));
        }

        Assert.Equal(data, await client.GetByteArrayAsync($"/recordings/{session}/download"));
    }

    [Fact]
    public async Task A_patch_without_the_offset_content_type_answers_415()
    {
        var url = await client.CreateOkAsync(RecordingsHttp.NewSessionId(), 10);
        using var request = TusHttp.Request(HttpMethod.Patch, url);
        request.Headers.Add("Upload-Offset", "0");
        request.Content = new ByteArrayContent(new byte[10]);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Browsers_on_an_allowed_origin_get_preflights_and_exposed_headers()
    {
        using var preflight = TusHttp.Request(HttpMethod.Options, TusHttp.Endpoint("s1"), tus: false);
        preflight.Headers.Add("Origin", ResumableApiFixture.AllowedOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "PATCH");
        preflight.Headers.Add("Access-Control-Request-Headers", "tus-resumable,upload-offset,upload-length,upload-metadata,upload-defer-length,upload-checksum,content-type");
        using var allowed = await client.SendAsync(preflight);

        Assert.True(allowed.IsSuccessStatusCode);
        Assert.Equal(ResumableApiFixture.AllowedOrigin, allowed.Header("Access-Control-Allow-Origin"));
        Assert.Contains("PATCH", allowed.Header("Access-Control-Allow-Methods"));
        Assert.Contains("Upload-Checksum", allowed.Header("Access-Control-Allow-Headers"));

        using var create = TusHttp.Request(HttpMethod.Post, TusHttp.Endpoint(RecordingsHttp.NewSessionId()));
        create.Headers.Add("Origin", ResumableApiFixture.AllowedOrigin);
        create.Headers.Add("Upload-Length", "10");
        using var created = await client.SendAsync(create);
        var exposed = created.Header("Access-Control-Expose-Headers").Split(',');
        foreach (var header in new[] { "Location", "Upload-Offset", "Upload-Length", "Upload-Expires", "Tus-Resumable", "Tus-Version",
                     "Tus-Max-Size", "Recording-File-Path", "Content-Range", "Content-Length" })
        {
            Assert.Contains(header, exposed);
        }

        using var foreign = TusHttp.Request(HttpMethod.Options, TusHttp.Endpoint("s1"), tus: false);
        foreign.Headers.Add("Origin", "http://evil.example");
        foreign.Headers.Add("Access-Control-Request-Method", "PATCH");
        using var refused = await client.SendAsync(foreign);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
