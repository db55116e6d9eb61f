using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace Recordings.Testing;

/// <summary>tus 1.0.0 requests as a client sends them, written out by hand so each header is visible in the tests.</summary>
public static class TusHttp
{
    public static string Endpoint(string sessionId) => $"/recordings/resumable/{sessionId}";

    public static string Metadata(params (string Key, string Value)[] pairs) =>
        string.Join(',', pairs.Select(p => $"{p.Key} {Convert.ToBase64String(Encoding.UTF8.GetBytes(p.Value))}"));

    public static HttpRequestMessage Request(HttpMethod method, string path, bool tus = true)
    {
        var request = new HttpRequestMessage(method, path);
        if (tus)
        {
            request.Headers.Add("Tus-Resumable", "1.0.0");
        }

        return request;
    }

    /// <summary>POST with Upload-Length (or deferred when null); returns the response (Location on 201).</summary>
    public static async Task<HttpResponseMessage> CreateAsync(
        this HttpClient client, string sessionId, long? length, string? metadata = null, byte[]? body = null)
    {
        using var request = Request(HttpMethod.Post, Endpoint(sessionId));
        if (length is { } known)
        {
            request.Headers.Add("Upload-Length", known.ToString());
        }
        else
        {
            request.Headers.Add("Upload-Defer-Length", "1");
        }

        request.Headers.Add("Upload-Metadata", metadata ?? Metadata(("filename", "interview.webm"), ("filetype", "video/webm")));
        if (body is not null)
        {
            request.Content = OffsetStream(body);
        }

        return await client.SendAsync(request);
    }

    /// <summary>Creates an upload and insists it worked; returns its URL (a path).</summary>
    public static async Task<string> CreateOkAsync(this HttpClient client, string sessionId, long? length, string? metadata = null)
    {
        using var response = await client.CreateAsync(sessionId, length, metadata);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response.Headers.Location!.OriginalString;
    }

    public static async Task<HttpResponseMessage> PatchAsync(
        this HttpClient client, string url, long offset, byte[] body, long? uploadLength = null, string? checksum = null)
    {
        using var request = Request(HttpMethod.Patch, url);
        request.Headers.Add("Upload-Offset", offset.ToString());
        if (uploadLength is { } length)
        {
            request.Headers.Add("Upload-Length", length.ToString());
        }

        if (checksum is not null)
        {
            request.Headers.Add("Upload-Checksum", checksum);
        }

        request.Content = OffsetStream(body);
        return await client.SendAsync(request);
    }

    public static async Task<HttpResponseMessage> HeadAsync(this HttpClient client, string url)
    {
        using var request = Request(HttpMethod.Head, url);
        return await client.SendAsync(request);
    }

    public static string Sha1Checksum(byte[] data) => "sha1 " + Convert.ToBase64String(SHA1.HashData(data));

    public static string Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(',', values)
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(',', contentValues)
        : throw new Xunit.Sdk.XunitException($"{(int)response.StatusCode} without {name}");

    public static long Offset(this HttpResponseMessage response) => long.Parse(response.Header("Upload-Offset"));

    private static ByteArrayContent OffsetStream(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        return content;
    }
}
