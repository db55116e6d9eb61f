using System.Net;
using Recordings.Abstractions;
using Recordings.Testing;
using Recordings.FunctionalTests.Infrastructure;

namespace Recordings.FunctionalTests.Api;

public sealed class PrivateBucketFixture : SupabaseApiFixture
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Supabase__CreatePublicBucket"] = "false",
        ["Supabase__SignedUrlExpirySeconds"] = "600",
    };
}

/// <summary>A private bucket: download hands out a signed URL with its expiry instead of a public one.</summary>
public sealed class PrivateBucketTests(PrivateBucketFixture fixture) : IClassFixture<PrivateBucketFixture>
{
    [Fact]
    public async Task Download_answers_a_signed_url_that_serves_the_bytes()
    {
        var session = RecordingsHttp.NewSessionId();
        var data = RecordingsHttp.RandomBytes(12_345);
        var filename = (await fixture.Client.UploadOkAsync(session, data)).Str("filename");

        var (status, body) = await fixture.Client.GetJsonAsync($"/recordings/{session}/download");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("supabase", body.Str("storage_type"));
        Assert.Equal($"{session}/{filename}", body.Str("file_path"));
        Assert.Equal(600, body.GetProperty("expires_in").GetInt32());
        Assert.False(body.TryGetProperty("public_url", out _));
        var signedUrl = body.Str("signed_url");
        Assert.StartsWith($"{fixture.Supabase.Url}/storage/v1/object/sign/{SupabaseApiFixture.Bucket}/{session}/{filename}?token=", signedUrl);
        using var http = new HttpClient();
        Assert.Equal(data, await http.GetByteArrayAsync(signedUrl));
    }
}
