using System.Net;

namespace Recordings.FunctionalTests.Auth;

/// <summary>
/// A new session for one row, made with the service role: a recording (from a resumable upload finished at creation)
/// and a second resumable upload in flight at <see cref="OpenOffset"/> of <see cref="OpenLength"/> bytes.
/// </summary>
public static class AuthSeed
{
    public const long OpenOffset = 1024;
    public const long OpenLength = 4096;

    public static async Task<AuthTarget> CreateAsync(HostProcess api, TestTokens tokens)
    {
        var session = RecordingsHttp.NewSessionId();
        using var admin = new HttpClient { BaseAddress = api.Client.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", tokens.ServiceRole());

        var finished = await CreateAsync(admin, session, length: 2048, sent: 2048);
        using var result = await admin.GetAsync(finished);
        var file = (await RecordingsHttp.ReadJsonAsync(result.EnsureSuccessStatusCode())).Str("filename");
        var open = await CreateAsync(admin, session, OpenLength, OpenOffset);
        return new AuthTarget(session, file, LastSegment(open), LastSegment(finished));
    }

    /// <summary>An upload of <paramref name="length"/> bytes whose first <paramref name="sent"/> come with the creation.</summary>
    private static async Task<string> CreateAsync(HttpClient admin, string session, long length, long sent)
    {
        using var response = await admin.CreateAsync(session, length, body: RecordingsHttp.RandomBytes((int)sent));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"seed upload: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(sent, response.Offset());
        return response.Headers.Location!.OriginalString;
    }

    private static string LastSegment(string url) => url[(url.LastIndexOf('/') + 1)..];
}
