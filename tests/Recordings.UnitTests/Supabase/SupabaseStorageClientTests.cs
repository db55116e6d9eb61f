using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recordings.Abstractions;
using Recordings.Supabase;
using Recordings.Testing;
using Xunit;

namespace Recordings.UnitTests.Supabase;

/// <summary>
/// The Supabase client, built through AddSupabaseStorage (so with its real resilience pipeline), against the
/// Supabase Storage test Server.
/// </summary>
public sealed class SupabaseStorageClientTests : IAsyncLifetime
{
    private const string Bucket = SupabaseClientHarness.Bucket;
    private const string VideoType = "video/webm";

    // Loose: "at once" versus waiting out a timeout or a retry schedule; not a benchmark.
    private static readonly TimeSpan FailFast = TimeSpan.FromSeconds(1);

    private readonly CapturedLogs logs = new();
    private SupabaseClientHarness harness = null!;

    private SupabaseStorageTestServer Server => harness.Server;

    public async Task InitializeAsync() => harness = await SupabaseClientHarness.StartAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task Upload_stores_the_bytes_and_info_reports_size_type_and_md5_etag()
    {
        var client = CreateClient();
        var data = RandomBytes(300_000);

        await client.UploadAsync("session_1/a.webm", new MemoryStream(data), VideoType, CancellationToken.None);
        var info = await client.GetInfoAsync("session_1/a.webm", CancellationToken.None);

        var stored = Assert.Single(Server.Objects(Bucket));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), stored.Sha256Hex);
        Assert.NotNull(info);
        Assert.Equal("session_1/a.webm", info.Name);
        Assert.Equal(data.Length, info.Size);
        Assert.Equal(VideoType, info.ContentType);
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(data)), info.ETag);
        Assert.NotNull(info.CreatedAt);
    }

    [Fact]
    public async Task Upload_streams_a_body_while_it_is_still_being_written()
    {
        var client = CreateClient();
        var pipe = new Pipe();
        var chunks = Enumerable.Range(0, 4).Select(_ => RandomBytes(256 * 1024)).ToArray();

        var upload = client.UploadAsync("session_1/piped.webm", pipe.Reader.AsStream(), VideoType, CancellationToken.None);
        await pipe.Writer.WriteAsync(chunks[0]);

        // The request is on the wire before the body's length could be known.
        await WaitUntilAsync(() => Server.RequestLines.Contains($"POST /storage/v1/object/{Bucket}/session_1/piped.webm"));
        foreach (var chunk in chunks.Skip(1))
        {
            await pipe.Writer.WriteAsync(chunk);
        }

        await pipe.Writer.CompleteAsync();
        await upload;

        var whole = chunks.SelectMany(c => c).ToArray();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(whole)), Assert.Single(Server.Objects(Bucket)).Sha256Hex);
    }

    [Fact]
    public async Task Upload_to_a_taken_path_fails_with_KeyAlreadyExists()
    {
        var client = CreateClient();
        await client.UploadAsync("session_1/a.webm", new MemoryStream(RandomBytes(10)), VideoType, CancellationToken.None);

        var error = await Assert.ThrowsAsync<SupabaseStorageException>(() =>
            client.UploadAsync("session_1/a.webm", new MemoryStream(RandomBytes(20)), VideoType, CancellationToken.None));

        Assert.Equal(SupabaseErrorCodes.KeyAlreadyExists, error.ErrorCode);
        Assert.Equal("409", error.StatusCode);
        Assert.Equal(400, error.HttpStatus);
        Assert.False(error.IsTransient);
        Assert.Equal(10, Assert.Single(Server.Objects(Bucket)).Size);
    }

    [Fact]
    public async Task Info_of_a_missing_object_is_null()
    {
        var client = CreateClient();

        Assert.Null(await client.GetInfoAsync("session_1/nothing.webm", CancellationToken.None));
    }

    [Fact]
    public async Task List_reads_every_page_and_leaves_out_sub_folders()
    {
        var client = CreateClient();
        for (var i = 0; i < 150; i++)
        {
            Server.PutObject(Bucket, $"session_big/rec_{i:000}.webm", [(byte)i]);
        }

        Server.PutObject(Bucket, "session_big/nested/inner.webm", [1, 2, 3]);
        Server.PutObject(Bucket, "session_other/x.webm", [1]);

        var listed = await client.ListAsync("session_big", CancellationToken.None);

        Assert.Equal(150, listed.Count);
        Assert.Equal(Enumerable.Range(0, 150).Select(i => $"rec_{i:000}.webm"), listed.Select(o => o.Name).Order(StringComparer.Ordinal));
        Assert.All(listed, o => Assert.Equal(1, o.Size));
        Assert.All(listed, o => Assert.Equal(VideoType, o.ContentType));
        Assert.Equal(2, Server.RequestLines.Count(line => line == $"POST /storage/v1/object/list/{Bucket}"));
    }

    [Fact]
    public async Task List_of_an_unknown_folder_is_empty()
    {
        var client = CreateClient();
        Server.PutObject(Bucket, "session_1/a.webm", [1]);

        Assert.Empty(await client.ListAsync("session_404", CancellationToken.None));
        Assert.Empty(await client.ListAsync("session_1/a", CancellationToken.None));
    }

    [Fact]
    public async Task Signed_url_is_absolute_and_downloads_without_a_key()
    {
        var client = CreateClient();
        var data = RandomBytes(1000);
        Server.PutObject(Bucket, "session_1/a.webm", data);

        var url = await client.CreateSignedUrlAsync("session_1/a.webm", 60, CancellationToken.None);

        Assert.StartsWith($"{Server.Url}/storage/v1/object/sign/{Bucket}/session_1/a.webm?token=", url);
        using var anonymous = new HttpClient();
        Assert.Equal(data, await anonymous.GetByteArrayAsync(url));
    }

    [Fact]
    public async Task Public_url_escapes_the_path_and_serves_ranges_with_the_md5_etag()
    {
        var client = CreateClient();
        var data = RandomBytes(5000);
        Server.PutObject(Bucket, "session_1/a b#1.webm", data);

        var url = client.GetPublicUrl("session_1/a b#1.webm");

        Assert.Equal($"{Server.Url}/storage/v1/object/public/{Bucket}/session_1/a%20b%231.webm", url);
        using var anonymous = new HttpClient();
        Assert.Equal(data, await anonymous.GetByteArrayAsync(url));

        using var range = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new RangeHeaderValue(100, 199) } };
        using var partial = await anonymous.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(data[100..200], await partial.Content.ReadAsByteArrayAsync());
        Assert.Equal($"\"{Convert.ToHexStringLower(MD5.HashData(data))}\"", partial.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Delete_reports_whether_the_object_existed()
    {
        var client = CreateClient();
        Server.PutObject(Bucket, "session_1/a.webm", [1, 2]);

        Assert.True(await client.DeleteAsync("session_1/a.webm", CancellationToken.None));
        Assert.False(Server.Exists(Bucket, "session_1/a.webm"));
        Assert.False(await client.DeleteAsync("session_1/a.webm", CancellationToken.None));
    }

    [Fact]
    public async Task EnsureBucket_creates_a_missing_bucket_once()
    {
        var client = CreateClient(settings =>
        {
            settings["Supabase:Bucket"] = "fresh-bucket";
            settings["Supabase:CreatePublicBucket"] = "false";
        });

        await client.EnsureBucketAsync(CancellationToken.None);
        await client.EnsureBucketAsync(CancellationToken.None);

        var bucket = await client.GetBucketAsync(CancellationToken.None);
        Assert.Equal(new BucketInfo("fresh-bucket", "fresh-bucket", Public: false, FileSizeLimit: null), bucket);
        Assert.Single(Server.RequestLines, line => line == "POST /storage/v1/bucket");
    }

    [Fact]
    public async Task EnsureBucket_succeeds_for_callers_racing_to_create_it()
    {
        var client = CreateClient(settings => settings["Supabase:Bucket"] = "raced-bucket");

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.EnsureBucketAsync(CancellationToken.None)));

        Assert.True((await client.GetBucketAsync(CancellationToken.None))?.Public);
    }

    [Theory]
    [InlineData("\"500KB\"", 500_000L)]
    [InlineData("1048576", 1_048_576L)]
    [InlineData("null", null)]
    public async Task GetBucket_reads_the_size_limit_as_a_number_or_text(string limitJson, long? expected)
    {
        var client = CreateClient(settings => settings["Supabase:Bucket"] = "limited");
        using var admin = new HttpClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Server.ServiceRoleKey);
        using var created = await admin.PostAsync($"{Server.Url}/storage/v1/bucket", new StringContent(
            $$"""{"name":"limited","public":false,"file_size_limit":{{limitJson}}}""", Encoding.UTF8, "application/json"));
        created.EnsureSuccessStatusCode();

        var bucket = await client.GetBucketAsync(CancellationToken.None);

        Assert.Equal(expected, bucket?.FileSizeLimit);
    }

    [Fact]
    public async Task GetBucket_of_a_missing_bucket_is_null()
    {
        var client = CreateClient(settings => settings["Supabase:Bucket"] = "absent");

        Assert.Null(await client.GetBucketAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Error_in_a_400_body_gives_the_real_status_and_code()
    {
        var client = CreateClient(settings => settings["Supabase:Bucket"] = "absent");

        var error = await Assert.ThrowsAsync<SupabaseStorageException>(() =>
            client.UploadAsync("session_1/a.webm", new MemoryStream(RandomBytes(10)), VideoType, CancellationToken.None));

        Assert.Equal(SupabaseErrorCodes.NoSuchBucket, error.ErrorCode);
        Assert.Equal("404", error.StatusCode);
        Assert.Equal(400, error.HttpStatus);
        Assert.Contains("upload", error.Message);
        Assert.Contains("Bucket not found", error.Message);
    }

    [Fact]
    public async Task Key_of_another_project_is_refused_with_AccessDenied()
    {
        await using var otherProject = await SupabaseStorageTestServer.StartAsync();
        var client = CreateClient(key: otherProject.ServiceRoleKey);

        var error = await Assert.ThrowsAsync<SupabaseStorageException>(() => client.GetInfoAsync("session_1/a.webm", CancellationToken.None));

        Assert.Equal(SupabaseErrorCodes.AccessDenied, error.ErrorCode);
        Assert.Equal("403", error.StatusCode);
        Assert.Contains("signature verification failed", error.Message);
    }

    [Fact]
    public async Task Anon_key_cannot_upload_and_lists_nothing()
    {
        Server.PutObject(Bucket, "session_1/a.webm", [1]);
        var client = CreateClient(key: Server.AnonKey);

        var error = await Assert.ThrowsAsync<SupabaseStorageException>(() =>
            client.UploadAsync("session_1/b.webm", new MemoryStream(RandomBytes(10)), VideoType, CancellationToken.None));

        Assert.Equal(SupabaseErrorCodes.AccessDenied, error.ErrorCode);
        Assert.Contains("row-level security", error.Message);
        Assert.Empty(await client.ListAsync("session_1", CancellationToken.None));
        Assert.False(await client.DeleteAsync("session_1/a.webm", CancellationToken.None));
    }

    [Fact]
    public async Task Every_call_carries_the_key_as_apikey_for_the_gateway()
    {
        Server.RequireApiKey = true;
        var client = CreateClient();

        await client.EnsureBucketAsync(CancellationToken.None);
        await client.UploadAsync("session_1/a.webm", new MemoryStream(RandomBytes(10)), VideoType, CancellationToken.None);
        Assert.NotNull(await client.GetInfoAsync("session_1/a.webm", CancellationToken.None));
        Assert.Single(await client.ListAsync("session_1", CancellationToken.None));
        await client.CreateSignedUrlAsync("session_1/a.webm", 60, CancellationToken.None);
        Assert.True(await client.DeleteAsync("session_1/a.webm", CancellationToken.None));
    }

    [Fact]
    public async Task Server_error_is_retried_then_reported()
    {
        var client = CreateClient(settings => settings["Supabase:MaxRetryAttempts"] = "2");
        Server.Fault = SupabaseFault.Status500;

        var error = await Assert.ThrowsAsync<SupabaseStorageException>(() => client.GetInfoAsync("session_1/a.webm", CancellationToken.None));

        Assert.Equal(500, error.HttpStatus);
        Assert.Equal("500", error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Equal(3, Server.RequestCount);
    }

    [Fact]
    public async Task Upload_is_never_retried()
    {
        var client = CreateClient(settings => settings["Supabase:MaxRetryAttempts"] = "3");
        Server.Fault = SupabaseFault.Status500;

        var error = await Assert.ThrowsAsync<SupabaseStorageException>(() =>
            client.UploadAsync("session_1/a.webm", new MemoryStream(RandomBytes(1000)), VideoType, CancellationToken.None));

        Assert.Equal(500, error.HttpStatus);
        Assert.Single(Server.RequestLines);
    }

    [Fact]
    public async Task Html_error_page_of_a_gateway_is_reported_by_its_title()
    {
        var client = CreateClient(settings => settings["Supabase:MaxRetryAttempts"] = "0");
        Server.Fault = SupabaseFault.BadGatewayHtml;

        var error = await Assert.ThrowsAsync<SupabaseStorageException>(() => client.ListAsync("session_1", CancellationToken.None));

        Assert.Equal(502, error.HttpStatus);
        Assert.Equal("502", error.StatusCode);
        Assert.Null(error.ErrorCode);
        Assert.Contains("502 Bad Gateway", error.Message);
        Assert.DoesNotContain("<", error.Message);
    }

    [Fact]
    public async Task Unknown_route_gives_the_numeric_status_of_its_404_body()
    {
        var client = CreateClient(settings => settings["Supabase:Url"] = Server.Url + "/not-supabase");

        var error = await Assert.ThrowsAsync<SupabaseStorageException>(() => client.GetInfoAsync("session_1/a.webm", CancellationToken.None));

        Assert.Equal(404, error.HttpStatus);
        Assert.Equal("404", error.StatusCode);
        Assert.Null(error.ErrorCode);
        Assert.Contains("not found", error.Message);
    }

    [Fact]
    public async Task Refused_connections_are_reported_as_a_transient_failure()
    {
        var client = CreateClient();
        await Server.RefuseConnectionsAsync();

        var error = await Assert.ThrowsAsync<SupabaseStorageException>(() => client.GetInfoAsync("session_1/a.webm", CancellationToken.None));

        Assert.True(error.IsTransient);
        Assert.Equal(0, error.HttpStatus);
        Assert.Contains(error.ErrorCode, new[] { SupabaseErrorCodes.ConnectionFailed, SupabaseErrorCodes.CircuitOpen });
    }

    [Fact]
    public async Task Stalled_upload_times_out_after_UploadTimeout()
    {
        var client = CreateClient(settings => settings["Supabase:UploadTimeout"] = "00:00:01");
        Server.Fault = SupabaseFault.Stall;
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<SupabaseStorageException>(() =>
            client.UploadAsync("session_1/a.webm", new MemoryStream(RandomBytes(1000)), VideoType, CancellationToken.None));

        Assert.Equal(SupabaseErrorCodes.Timeout, error.ErrorCode);
        Assert.Equal("504", error.StatusCode);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        Assert.Single(Server.RequestLines);
    }

    [Fact]
    public async Task Stalled_small_call_times_out_per_attempt_and_is_retried()
    {
        var client = CreateClient(settings =>
        {
            settings["Supabase:RequestTimeout"] = "00:00:00.300";
            settings["Supabase:MaxRetryAttempts"] = "1";
        });
        Server.Fault = SupabaseFault.Stall;

        var error = await Assert.ThrowsAsync<SupabaseStorageException>(() => client.GetInfoAsync("session_1/a.webm", CancellationToken.None));

        Assert.Equal(SupabaseErrorCodes.Timeout, error.ErrorCode);
        await WaitUntilAsync(() => Server.RequestCount == 2);
    }

    [Fact]
    public async Task Circuit_opens_after_repeated_failures_and_the_next_call_fails_fast()
    {
        var client = CreateClient(settings => settings["Supabase:MaxRetryAttempts"] = "2");
        Server.Fault = SupabaseFault.Status500;
        await Assert.ThrowsAsync<SupabaseStorageException>(() => client.GetInfoAsync("session_1/a.webm", CancellationToken.None));
        var reachedServer = Server.RequestCount;

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<SupabaseStorageException>(() => client.ListAsync("session_1", CancellationToken.None));

        Assert.Equal(SupabaseErrorCodes.CircuitOpen, error.ErrorCode);
        Assert.True(error.IsTransient);
        Assert.True(clock.Elapsed < FailFast, $"took {clock.Elapsed}");
        Assert.Equal(reachedServer, Server.RequestCount);
    }

    [Fact]
    public async Task Open_circuit_fails_an_upload_at_once_without_sending_it()
    {
        var client = CreateClient();
        Server.Fault = SupabaseFault.Status500;
        await Assert.ThrowsAsync<SupabaseStorageException>(() => client.GetInfoAsync("session_1/a.webm", CancellationToken.None));
        Server.Fault = SupabaseFault.None;

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<SupabaseStorageException>(() =>
            client.UploadAsync("session_1/a.webm", new MemoryStream(RandomBytes(1000)), VideoType, CancellationToken.None));

        Assert.Equal(SupabaseErrorCodes.CircuitOpen, error.ErrorCode);
        Assert.True(clock.Elapsed < FailFast, $"took {clock.Elapsed}");
        Assert.DoesNotContain(Server.RequestLines, line => line.StartsWith("POST /storage/v1/object/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Failing_uploads_open_the_circuit_for_every_call()
    {
        var client = CreateClient();
        await Server.RefuseConnectionsAsync();
        for (var i = 0; i < 3; i++)
        {
            var failed = await Assert.ThrowsAsync<SupabaseStorageException>(() =>
                client.UploadAsync($"session_1/{i}.webm", new MemoryStream(RandomBytes(100)), VideoType, CancellationToken.None));
            Assert.Equal(SupabaseErrorCodes.ConnectionFailed, failed.ErrorCode);
        }

        var upload = await Assert.ThrowsAsync<SupabaseStorageException>(() =>
            client.UploadAsync("session_1/3.webm", new MemoryStream(RandomBytes(100)), VideoType, CancellationToken.None));
        var info = await Assert.ThrowsAsync<SupabaseStorageException>(() => client.GetInfoAsync("session_1/0.webm", CancellationToken.None));

        Assert.Equal(SupabaseErrorCodes.CircuitOpen, upload.ErrorCode);
        Assert.Equal(SupabaseErrorCodes.CircuitOpen, info.ErrorCode);
    }

    [Fact]
    public async Task Circuit_lets_calls_through_again_once_supabase_is_back()
    {
        var client = CreateClient(settings => settings["Supabase:CircuitBreakDuration"] = "00:00:00.500");
        await Server.RefuseConnectionsAsync();
        await Assert.ThrowsAsync<SupabaseStorageException>(() => client.GetInfoAsync("session_1/a.webm", CancellationToken.None));
        var open = await Assert.ThrowsAsync<SupabaseStorageException>(() => client.GetInfoAsync("session_1/a.webm", CancellationToken.None));
        Assert.Equal(SupabaseErrorCodes.CircuitOpen, open.ErrorCode);

        await Server.AcceptConnectionsAsync();
        // The breaker lets a probe through once its break is over; until then every call fails at once, unsent.
        await WaitUntilAsync(async () =>
        {
            try
            {
                await client.GetInfoAsync("session_1/a.webm", CancellationToken.None);
                return true;
            }
            catch (SupabaseStorageException failure) when (failure.ErrorCode == SupabaseErrorCodes.CircuitOpen)
            {
                return false;
            }
        });

        await client.UploadAsync("session_1/a.webm", new MemoryStream(RandomBytes(100)), VideoType, CancellationToken.None);
        Assert.NotNull(await client.GetInfoAsync("session_1/a.webm", CancellationToken.None));
    }

    [Fact]
    public async Task Test_server_stores_a_chunked_body_over_the_size_limit_as_the_real_one_does()
    {
        Server.MaxObjectBytes = 1_000;
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Server.ServiceRoleKey);
        using var chunked = new StreamContent(new MemoryStream(RandomBytes(5_000)));
        chunked.Headers.ContentType = new MediaTypeHeaderValue(VideoType);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Server.Url}/storage/v1/object/{Bucket}/session_1/big.webm") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5_000, Assert.Single(Server.Objects(Bucket)).Size);
    }

    [Fact]
    public async Task Upload_of_a_known_length_over_the_buckets_size_limit_is_refused_without_sending_it()
    {
        var client = CreateClient(settings => settings["Supabase:Bucket"] = "limited");
        await CreateBucketAsync("""{"name":"limited","public":true,"file_size_limit":"1KB"}""");
        await client.GetBucketAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<SupabaseStorageException>(() =>
            client.UploadAsync("session_1/big.webm", new MemoryStream(RandomBytes(1_001)), VideoType, CancellationToken.None));

        Assert.Equal(SupabaseErrorCodes.EntityTooLarge, error.ErrorCode);
        Assert.Equal("413", error.StatusCode);
        Assert.False(error.IsTransient);
        Assert.DoesNotContain(Server.RequestLines, line => line.StartsWith("POST /storage/v1/object/limited/", StringComparison.Ordinal));
        await client.UploadAsync("session_1/small.webm", new MemoryStream(RandomBytes(1_000)), VideoType, CancellationToken.None);
        Assert.True(Server.Exists("limited", "session_1/small.webm"));
    }

    [Fact]
    public async Task Upload_from_memory_is_stored_whole_refused_over_the_limit_unsent_and_never_overwrites()
    {
        var client = CreateClient(settings => settings["Supabase:Bucket"] = "limited");
        await CreateBucketAsync("""{"name":"limited","public":true,"file_size_limit":"1KB"}""");
        await client.GetBucketAsync(CancellationToken.None);
        var data = RandomBytes(1_000);

        var tooLarge = await Assert.ThrowsAsync<SupabaseStorageException>(() =>
            client.UploadAsync("session_1/big.webm", RandomBytes(1_001).AsMemory(), VideoType, CancellationToken.None));
        await client.UploadAsync("session_1/small.webm", data.AsMemory(), VideoType, CancellationToken.None);
        var taken = await Assert.ThrowsAsync<SupabaseStorageException>(() =>
            client.UploadAsync("session_1/small.webm", RandomBytes(10).AsMemory(), VideoType, CancellationToken.None));

        Assert.Equal(SupabaseErrorCodes.EntityTooLarge, tooLarge.ErrorCode);
        Assert.DoesNotContain(Server.RequestLines, line => line.StartsWith("POST /storage/v1/object/limited/session_1/big", StringComparison.Ordinal));
        Assert.Equal(SupabaseErrorCodes.KeyAlreadyExists, taken.ErrorCode);
        var stored = Assert.Single(Server.Objects("limited"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), stored.Sha256Hex);
        Assert.Equal(VideoType, stored.ContentType);
    }

    [Fact]
    public async Task Streamed_upload_past_the_buckets_size_limit_is_cut_off_by_the_client_and_not_stored()
    {
        var client = CreateClient(settings => settings["Supabase:Bucket"] = "limited");
        await CreateBucketAsync("""{"name":"limited","public":true,"file_size_limit":1000000}""");
        await client.GetBucketAsync(CancellationToken.None);
        var pipe = new Pipe();

        var upload = client.UploadAsync("session_1/big.webm", pipe.Reader.AsStream(), VideoType, CancellationToken.None);
        var feeding = Task.Run(async () =>
        {
            for (var sent = 0; sent < 3_000_000 && !upload.IsCompleted; sent += 100_000)
            {
                await pipe.Writer.WriteAsync(RandomBytes(100_000));
            }

            await pipe.Writer.CompleteAsync();
        });
        var error = await Assert.ThrowsAsync<SupabaseStorageException>(() => upload);
        await pipe.Reader.CompleteAsync();
        await feeding.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(SupabaseErrorCodes.EntityTooLarge, error.ErrorCode);
        Assert.Contains("EntityTooLarge", error.Message);
        await Server.HandledRequests.Reached(Server.RequestCount).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(Server.Exists("limited", "session_1/big.webm"));
    }

    [Fact]
    public async Task Upload_over_the_configured_global_limit_is_refused_and_does_not_open_the_circuit()
    {
        var client = CreateClient(settings => settings["Supabase:GlobalFileSizeLimit"] = "500");

        for (var i = 0; i < 4; i++)
        {
            var error = await Assert.ThrowsAsync<SupabaseStorageException>(() =>
                client.UploadAsync($"session_1/{i}.webm", new NonSeekableStream(RandomBytes(2_000)), VideoType, CancellationToken.None));
            Assert.Equal(SupabaseErrorCodes.EntityTooLarge, error.ErrorCode);
        }

        await client.UploadAsync("session_1/ok.webm", new MemoryStream(RandomBytes(500)), VideoType, CancellationToken.None);
        Assert.Equal("session_1/ok.webm", Assert.Single(Server.Objects(Bucket)).Path);
    }

    [Fact]
    public async Task Upload_of_a_type_outside_the_buckets_allowed_mime_types_is_refused_without_sending_it()
    {
        var client = CreateClient(settings => settings["Supabase:Bucket"] = "audio-only");
        await CreateBucketAsync("""{"name":"audio-only","public":true,"allowed_mime_types":["audio/*"]}""");
        Assert.Equal(["audio/*"], (await client.GetBucketAsync(CancellationToken.None))?.AllowedMimeTypes);

        var error = await Assert.ThrowsAsync<SupabaseStorageException>(() =>
            client.UploadAsync("session_1/a.webm", new MemoryStream(RandomBytes(10)), VideoType, CancellationToken.None));

        Assert.Equal(SupabaseErrorCodes.InvalidMimeType, error.ErrorCode);
        Assert.Equal("415", error.StatusCode);
        Assert.False(error.IsTransient);
        Assert.DoesNotContain(Server.RequestLines, line => line.StartsWith("POST /storage/v1/object/audio-only/", StringComparison.Ordinal));
        await client.UploadAsync("session_1/a.ogg", new MemoryStream(RandomBytes(10)), "audio/ogg; codecs=opus", CancellationToken.None);
        Assert.True(Server.Exists("audio-only", "session_1/a.ogg"));
    }

    [Fact]
    public async Task Test_server_refuses_a_declared_oversized_body_before_reading_it()
    {
        Server.MaxObjectBytes = 1_000;
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Server.ServiceRoleKey);

        using var response = await http.PostAsync($"{Server.Url}/storage/v1/object/{Bucket}/session_1/big.webm", new ByteArrayContent(RandomBytes(5_000)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("413", body.RootElement.GetProperty("statusCode").GetString());
        Assert.Equal("EntityTooLarge", body.RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Cancelled_upload_leaves_no_object()
    {
        var client = CreateClient();
        var pipe = new Pipe();
        using var cancellation = new CancellationTokenSource();
        var upload = client.UploadAsync("session_1/aborted.webm", pipe.Reader.AsStream(), VideoType, cancellation.Token);
        await pipe.Writer.WriteAsync(RandomBytes(200_000));
        await WaitUntilAsync(() => Server.RequestCount == 1);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload);
        // Once the server is done with the request, whatever it would store is stored.
        await Server.HandledRequests.Reached(1).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(Server.Exists(Bucket, "session_1/aborted.webm"));
        Assert.Empty(Server.Objects(Bucket));
    }

    [Fact]
    public async Task Failing_upload_source_is_rethrown_and_does_not_open_the_circuit()
    {
        var client = CreateClient();

        for (var i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<IOException>(() =>
                client.UploadAsync($"session_1/{i}.webm", new BrokenStream(), VideoType, CancellationToken.None));
        }

        await client.UploadAsync("session_1/ok.webm", new MemoryStream(RandomBytes(10)), VideoType, CancellationToken.None);
        Assert.True(Server.Exists(Bucket, "session_1/ok.webm"));
        Assert.False(Server.Exists(Bucket, "session_1/0.webm"));
    }

    [Fact]
    public async Task Key_never_appears_in_exception_messages_or_logs()
    {
        var client = CreateClient();
        var impatient = CreateClient(settings => settings["Supabase:UploadTimeout"] = "00:00:00.300");
        await using var otherProject = await SupabaseStorageTestServer.StartAsync();
        var failures = new List<Exception>();
        async Task Collect(Func<Task> call) => failures.Add(await Assert.ThrowsAnyAsync<Exception>(call));

        await client.UploadAsync("session_1/a.webm", new MemoryStream([1]), VideoType, CancellationToken.None);
        await Collect(() => client.UploadAsync("session_1/a.webm", new MemoryStream([1]), VideoType, CancellationToken.None));
        await Collect(() => CreateClient(key: otherProject.ServiceRoleKey).GetInfoAsync("session_1/a.webm", CancellationToken.None));
        Server.Fault = SupabaseFault.Stall;
        await Collect(() => impatient.UploadAsync("session_1/b.webm", new MemoryStream([1]), VideoType, CancellationToken.None));
        Server.Fault = SupabaseFault.Status500;
        await Collect(() => client.GetInfoAsync("session_1/a.webm", CancellationToken.None));
        await Collect(() => client.ListAsync("session_1", CancellationToken.None));
        Server.Fault = SupabaseFault.None;
        await Server.RefuseConnectionsAsync();
        await Collect(() => CreateClient().GetInfoAsync("session_1/a.webm", CancellationToken.None));
        failures.Add(Assert.Throws<OptionsValidationException>(() =>
            CreateClient(settings => settings["Supabase:Url"] = "ftp://example")));

        Assert.Equal(7, failures.Count);
        string[] keys = [Server.ServiceRoleKey, otherProject.ServiceRoleKey];
        Assert.All(failures, failure => Assert.DoesNotContain(keys, key => failure.ToString().Contains(key, StringComparison.Ordinal)));
        Assert.Contains(logs.Lines, line => line.Contains("Authorization", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => keys.Any(key => line.Contains(key, StringComparison.Ordinal)));
    }

    [Fact]
    public void Url_that_is_not_absolute_http_fails_validation_at_start()
    {
        var error = Assert.Throws<OptionsValidationException>(() => CreateClient(settings => settings["Supabase:Url"] = "xyz.supabase.co"));

        Assert.Contains("Supabase:Url", error.Message);
    }

    [Fact]
    public void Client_without_url_or_key_is_not_configured()
    {
        var client = CreateClient(settings => settings["Supabase:Key"] = null);

        Assert.False(client.IsConfigured);
        Assert.Throws<InvalidOperationException>(() => client.GetPublicUrl("session_1/a.webm"));
    }

    [Fact]
    public void Options_never_print_the_key()
    {
        var options = new SupabaseOptions { Url = "https://xyz.supabase.co", Key = "secret-value" };

        Assert.DoesNotContain("secret-value", options.ToString());
        Assert.True(options.IsConfigured);
    }

    [Theory]
    [InlineData("session_1/../other/a.webm")]
    [InlineData("session_1//a.webm")]
    [InlineData("./a.webm")]
    public async Task Path_with_empty_or_dot_segments_is_rejected_before_sending(string path)
    {
        var client = CreateClient();

        await Assert.ThrowsAsync<ArgumentException>(() => client.GetInfoAsync(path, CancellationToken.None));
        Assert.Equal(0, Server.RequestCount);
    }

    private SupabaseStorageClient CreateClient(Action<Dictionary<string, string?>>? configure = null, string? key = null) =>
        harness.CreateClient(configure, key, logs);

    private static byte[] RandomBytes(int count) => RandomNumberGenerator.GetBytes(count);

    private async Task CreateBucketAsync(string json)
    {
        using var admin = new HttpClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Server.ServiceRoleKey);
        using var created = await admin.PostAsync($"{Server.Url}/storage/v1/bucket", new StringContent(json, Encoding.UTF8, "application/json"));
        created.EnsureSuccessStatusCode();
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "condition not met within 10 s");
            await Task.Delay(20);
        }
    }

    /// <summary>Bytes of unknown length, as a request body or a pipe gives them.</summary>
    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }

    /// <summary>A source that yields some bytes and then fails, like a client connection that dropped.</summary>
    private sealed class BrokenStream : Stream
    {
        private bool gaveData;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (gaveData)
            {
                throw new IOException("the recording's source went away");
            }

            gaveData = true;
            buffer.AsSpan(offset, Math.Min(count, 1000)).Fill(7);
            return Math.Min(count, 1000);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Every log line at every level, with its exception, to check what reaches the logs.</summary>
    private sealed class CapturedLogs : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
        }
    }
}
