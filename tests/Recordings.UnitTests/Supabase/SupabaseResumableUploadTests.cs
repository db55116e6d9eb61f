using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;
using Recordings.Supabase;
using Recordings.Testing;
using Xunit;

namespace Recordings.UnitTests.Supabase;

/// <summary>
/// Supabase's resumable upload (tus), as the contract records it: the test server's routes, spoken raw, and the
/// client's calls through its real resilience pipeline.
/// </summary>
public sealed class SupabaseResumableUploadTests : IAsyncLifetime
{
    private const string Bucket = SupabaseClientHarness.Bucket;
    private const int Part = SupabaseStorageClient.ResumablePartBytes;

    private readonly string folder = Directory.CreateTempSubdirectory("tus-relay-").FullName;
    private SupabaseClientHarness harness = null!;

    private SupabaseStorageTestServer Server => harness.Server;

    public async Task InitializeAsync() => harness = await SupabaseClientHarness.StartAsync();

    public async Task DisposeAsync()
    {
        await harness.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Parts_of_6_MiB_then_a_short_last_part_become_the_object_even_behind_a_gateway_that_garbles_Location()
    {
        Server.ResumableLocationIgnoresForwarding = true;
        var client = CreateClient();
        var data = RandomNumberGenerator.GetBytes(2 * Part + 12_345);
        using var file = WriteFile(data);

        var id = await client.CreateResumableUploadAsync("s1/a.webm", data.Length, "video/webm", CancellationToken.None);
        Assert.Equal(0, await client.GetResumableOffsetAsync(id, CancellationToken.None));
        Assert.Equal(Part, await client.AppendResumablePartAsync(id, 0, file, 0, Part, CancellationToken.None));
        Assert.Equal(2L * Part, await client.AppendResumablePartAsync(id, Part, file, Part, Part, CancellationToken.None));
        Assert.Equal(2L * Part, await client.GetResumableOffsetAsync(id, CancellationToken.None));
        Assert.False(Server.Exists(Bucket, "s1/a.webm"));

        Assert.Equal(data.Length, await client.AppendResumablePartAsync(id, 2L * Part, file, 2L * Part, 12_345, CancellationToken.None));

        var stored = Assert.Single(Server.Objects(Bucket));
        Assert.Equal(("s1/a.webm", Convert.ToHexStringLower(SHA256.HashData(data)), "video/webm"), (stored.Path, stored.Sha256Hex, stored.ContentType));
        Assert.Equal((data.Length, stored.Sha256Hex), await client.HashObjectAsync("s1/a.webm", CancellationToken.None));
        Assert.Null(await client.HashObjectAsync("s1/none.webm", CancellationToken.None));
    }

    [Fact]
    public async Task A_part_of_another_size_or_at_a_wrong_offset_is_refused_and_changes_nothing()
    {
        var client = CreateClient();
        var data = RandomNumberGenerator.GetBytes(Part + 100);
        using var file = WriteFile(data);
        var id = await client.CreateResumableUploadAsync("s1/b.webm", data.Length, "video/webm", CancellationToken.None);

        var shortPart = await Assert.ThrowsAsync<SupabaseStorageException>(
            () => client.AppendResumablePartAsync(id, 0, file, 0, 1024 * 1024, CancellationToken.None));
        Assert.Equal(400, shortPart.HttpStatus);
        var conflict = await Assert.ThrowsAsync<SupabaseStorageException>(
            () => client.AppendResumablePartAsync(id, Part, file, Part, 100, CancellationToken.None));
        Assert.Equal(409, conflict.HttpStatus);

        Assert.Equal(0, await client.GetResumableOffsetAsync(id, CancellationToken.None));
        Assert.Null(await client.GetResumableOffsetAsync("bm8tc3VjaC11cGxvYWQ", CancellationToken.None));
        Assert.Empty(Server.Objects(Bucket));
    }

    [Fact]
    public async Task The_tus_routes_answer_real_statuses_with_plain_text_bodies()
    {
        using var http = new HttpClient { BaseAddress = new Uri(Server.Url + "/storage/v1/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Server.ServiceRoleKey);
        Server.PutObject(Bucket, "s1/taken.webm", [1, 2, 3]);

        using (var noVersion = await http.SendAsync(Create("s1/c.webm", 10, tus: false)))
        {
            Assert.Equal(HttpStatusCode.PreconditionFailed, noVersion.StatusCode);
            Assert.Equal("text/plain", noVersion.Content.Headers.ContentType?.MediaType);
        }

        using (var taken = await http.SendAsync(Create("s1/taken.webm", 10)))
        {
            Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        }

        using (var upsert = await http.SendAsync(Create("s1/taken.webm", 10, upsert: true)))
        {
            Assert.Equal(HttpStatusCode.Created, upsert.StatusCode);
        }

        Server.MaxObjectBytes = 1000;
        using (var tooLarge = await http.SendAsync(Create("s1/c.webm", 1001)))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        }

        using var created = await http.SendAsync(Create("s1/c.webm", 10));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var location = created.Headers.Location!;
        Assert.True(location.IsAbsoluteUri);
        Assert.StartsWith(Server.Url + "/storage/v1/upload/resumable/", location.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal(string.Empty, await created.Content.ReadAsStringAsync());

        using (var wrongType = await http.SendAsync(Patch(location, 0, new byte[10], "application/octet-stream")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        }

        using (var pastLength = await http.SendAsync(Patch(location, 0, new byte[11])))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, pastLength.StatusCode);
        }

        using (var wrongOffset = await http.SendAsync(Patch(location, 3, new byte[7])))
        {
            Assert.Equal(HttpStatusCode.Conflict, wrongOffset.StatusCode);
            Assert.Equal("Upload-Offset conflict", await wrongOffset.Content.ReadAsStringAsync());
        }

        using var last = await http.SendAsync(Patch(location, 0, Encoding.ASCII.GetBytes("0123456789")));
        Assert.Equal(HttpStatusCode.NoContent, last.StatusCode);
        Assert.Equal(("10", "1"), (last.Headers.GetValues("Upload-Offset").Single(), last.Headers.GetValues("Tus-Complete").Single()));
        Assert.True(Server.Exists(Bucket, "s1/c.webm"));
    }

    [Fact]
    public async Task A_failing_or_stalled_Supabase_fails_the_calls_within_the_callers_time()
    {
        var client = CreateClient();
        var id = await client.CreateResumableUploadAsync("s1/d.webm", 2L * Part, "video/webm", CancellationToken.None);

        Server.Fault = SupabaseFault.Status500;
        var failed = await Assert.ThrowsAsync<SupabaseStorageException>(() => client.GetResumableOffsetAsync(id, CancellationToken.None));
        Assert.True(failed.IsTransient);

        // A new client: the failures above may have opened the first one's circuit.
        Server.Fault = SupabaseFault.Stall;
        using var budget = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        using var file = WriteFile(new byte[Part]);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CreateClient().AppendResumablePartAsync(id, 0, file, 0, Part, budget.Token));
        Server.Fault = SupabaseFault.None;
        Assert.Equal(0, await CreateClient().GetResumableOffsetAsync(id, CancellationToken.None));
    }

    private static HttpRequestMessage Create(string objectName, long length, bool tus = true, bool upsert = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "upload/resumable");
        if (tus)
        {
            request.Headers.Add("Tus-Resumable", "1.0.0");
        }

        if (upsert)
        {
            request.Headers.Add("x-upsert", "true");
        }

        request.Headers.Add("Upload-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("Upload-Metadata", string.Join(',', new[] { ("bucketName", Bucket), ("objectName", objectName), ("contentType", "video/webm"), ("cacheControl", "3600") }
            .Select(pair => pair.Item1 + " " + Convert.ToBase64String(Encoding.UTF8.GetBytes(pair.Item2)))));
        return request;
    }

    private static HttpRequestMessage Patch(Uri location, long offset, byte[] body, string contentType = "application/offset+octet-stream")
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, location);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        request.Headers.Add("Upload-Offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return request;
    }

    private SafeFileHandle WriteFile(byte[] data)
    {
        var path = Path.Combine(folder, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, data);
        return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
    }

    private SupabaseStorageClient CreateClient() => harness.CreateClient();
}
