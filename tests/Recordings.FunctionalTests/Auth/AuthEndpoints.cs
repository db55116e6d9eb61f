using System.Net.Http.Headers;
using System.Text;

namespace Recordings.FunctionalTests.Auth;

/// <summary>Every /recordings endpoint, as a row of the tests' tables, and how to call it with a token.</summary>
public sealed record AuthEndpoint(string Name, HttpMethod Method, string Scope, Func<string, string, string> Path, Func<HttpContent?> Body)
{
    public static readonly AuthEndpoint Upload = new("upload", HttpMethod.Post, "recordings:upload",
        (session, _) => $"/recordings/upload/{session}", () => RecordingsHttp.UploadForm(RecordingsHttp.RandomBytes(2048)));

    public static readonly AuthEndpoint Info = new("info", HttpMethod.Get, "recordings:read", (session, _) => $"/recordings/{session}", () => null);

    public static readonly AuthEndpoint Download = new("download", HttpMethod.Get, "recordings:read", (session, _) => $"/recordings/{session}/download", () => null);

    public static readonly AuthEndpoint List = new("list", HttpMethod.Get, "recordings:read", (session, _) => $"/recordings/{session}/list", () => null);

    public static readonly AuthEndpoint Delete = new("delete", HttpMethod.Delete, "recordings:delete", (session, file) => $"/recordings/{session}/{file}", () => null);

    public static readonly AuthEndpoint Tokens = new("tokens", HttpMethod.Post, "service_role", (session, _) => $"/recordings/{session}/tokens",
        () => new StringContent("""{"scope": "recordings:read", "expires_in": 60}""", Encoding.UTF8, "application/json"));

    public static readonly IReadOnlyList<AuthEndpoint> All = [Upload, Info, Download, List, Delete, Tokens];

    public static AuthEndpoint Named(string name) => All.Single(endpoint => endpoint.Name == name);

    public bool IsChange => Method != HttpMethod.Get;

    public override string ToString() => Name;

    /// <summary>Calls the endpoint; the token goes in the Authorization header, or in the `token` query parameter.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpClient client, string session, string file, string? token, bool inQuery = false)
    {
        var path = Path(session, file);
        if (token is not null && inQuery)
        {
            path += "?token=" + Uri.EscapeDataString(token);
        }

        var request = new HttpRequestMessage(Method, path) { Content = Body() };
        if (token is not null && !inQuery)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await client.SendAsync(request);
    }
}
