using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Recordings.FunctionalTests.Auth;

/// <summary>
/// What a row acts on: a session, a recording of it (File), and for the resumable rows an upload in flight
/// (<see cref="OpenUpload"/>, at offset <see cref="AuthSeed.OpenOffset"/>) and a finished one.
/// </summary>
public sealed record AuthTarget(string Session, string File, string OpenUpload = "", string FinishedUpload = "");

/// <summary>Every /recordings endpoint, as a row of the tests' tables, and how to call it with a token.</summary>
/// <param name="Success">What the endpoint answers an allowed caller, on a target fresh from <see cref="AuthSeed"/>.</param>
/// <param name="Prepare">Headers and body a well-formed request carries (the tus rows' Tus-Resumable, offsets).</param>
public sealed record AuthEndpoint(
    string Name, HttpMethod Method, string Scope, Func<AuthTarget, string> Path, Action<HttpRequestMessage>? Prepare = null,
    HttpStatusCode Success = HttpStatusCode.OK)
{
    public static readonly AuthEndpoint Upload = new("upload", HttpMethod.Post, "recordings:upload",
        target => $"/recordings/upload/{target.Session}", request => request.Content = RecordingsHttp.UploadForm(RecordingsHttp.RandomBytes(2048)));

    public static readonly AuthEndpoint Info = new("info", HttpMethod.Get, "recordings:read", target => $"/recordings/{target.Session}");

    public static readonly AuthEndpoint Download = new("download", HttpMethod.Get, "recordings:read", target => $"/recordings/{target.Session}/download");

    public static readonly AuthEndpoint List = new("list", HttpMethod.Get, "recordings:read", target => $"/recordings/{target.Session}/list");

    public static readonly AuthEndpoint Delete = new("delete", HttpMethod.Delete, "recordings:delete", target => $"/recordings/{target.Session}/{target.File}");

    public static readonly AuthEndpoint Tokens = new("tokens", HttpMethod.Post, "service_role", target => $"/recordings/{target.Session}/tokens",
        request => request.Content = new StringContent("""{"scope": "recordings:read", "expires_in": 60}""", Encoding.UTF8, "application/json"));

    public static readonly AuthEndpoint TusCreate = new("tus_create", HttpMethod.Post, "recordings:upload",
        target => TusHttp.Endpoint(target.Session), request =>
        {
            Tus(request);
            request.Headers.Add("Upload-Length", "4096");
            request.Headers.Add("Upload-Metadata", TusHttp.Metadata(("filename", "interview.webm"), ("filetype", "video/webm")));
        }, HttpStatusCode.Created);

    public static readonly AuthEndpoint TusHead = new("tus_head", HttpMethod.Head, "recordings:upload",
        target => $"{TusHttp.Endpoint(target.Session)}/{target.OpenUpload}", Tus);

    public static readonly AuthEndpoint TusPatch = new("tus_patch", HttpMethod.Patch, "recordings:upload",
        target => $"{TusHttp.Endpoint(target.Session)}/{target.OpenUpload}", request =>
        {
            Tus(request);
            request.Headers.Add("Upload-Offset", AuthSeed.OpenOffset.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Content = new ByteArrayContent(RecordingsHttp.RandomBytes(1024)) { Headers = { ContentType = new("application/offset+octet-stream") } };
        }, HttpStatusCode.NoContent);

    public static readonly AuthEndpoint TusDelete = new("tus_delete", HttpMethod.Delete, "recordings:upload",
        target => $"{TusHttp.Endpoint(target.Session)}/{target.OpenUpload}", Tus, HttpStatusCode.NoContent);

    public static readonly AuthEndpoint TusResult = new("tus_result", HttpMethod.Get, "recordings:upload",
        target => $"{TusHttp.Endpoint(target.Session)}/{target.FinishedUpload}");

    public static readonly IReadOnlyList<AuthEndpoint> All = [Upload, Info, Download, List, Delete, Tokens, TusCreate, TusHead, TusPatch, TusDelete, TusResult];

    public static AuthEndpoint Named(string name) => All.Single(endpoint => endpoint.Name == name);

    public bool IsChange => Method != HttpMethod.Get && Method != HttpMethod.Head;

    /// <summary>A HEAD answer has no body: its refusals show in the status and headers only.</summary>
    public bool AnswersWithBody => Method != HttpMethod.Head;

    public override string ToString() => Name;

    public Task<HttpResponseMessage> SendAsync(HttpClient client, string session, string file, string? token, bool inQuery = false) =>
        SendAsync(client, new AuthTarget(session, file), token, inQuery);

    /// <summary>Calls the endpoint; the token goes in the Authorization header, or in the `token` query parameter.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpClient client, AuthTarget target, string? token, bool inQuery = false)
    {
        var path = Path(target);
        if (token is not null && inQuery)
        {
            path += "?token=" + Uri.EscapeDataString(token);
        }

        var request = new HttpRequestMessage(Method, path);
        Prepare?.Invoke(request);
        if (token is not null && !inQuery)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await client.SendAsync(request);
    }

    private static void Tus(HttpRequestMessage request) => request.Headers.Add("Tus-Resumable", "1.0.0");
}
