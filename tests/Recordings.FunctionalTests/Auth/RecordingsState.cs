
namespace Recordings.FunctionalTests.Auth;

/// <summary>
/// What a refused request must not change: a session's list (read with the service role), the files on disk (spooled
/// resumable uploads included, so a created upload or a moved offset shows) and, for a seeded target, its open
/// upload's offset as HEAD tells it.
/// </summary>
public sealed record RecordingsState(string List, string[] Files, string OpenUpload)
{
    public static Task<RecordingsState> ReadAsync(HostProcess api, TestTokens tokens, string session) =>
        ReadAsync(api, tokens, new AuthTarget(session, ""));

    public static async Task<RecordingsState> ReadAsync(HostProcess api, TestTokens tokens, AuthTarget target)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/recordings/{target.Session}/list");
        request.Headers.Authorization = new("Bearer", tokens.ServiceRole());
        using var response = await api.Client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.EnsureSuccessStatusCode().StatusCode);
        var files = Directory.Exists(api.RecordingsDirectory)
            ? Directory.EnumerateFiles(api.RecordingsDirectory, "*", SearchOption.AllDirectories)
                .Select(path => $"{Path.GetRelativePath(api.RecordingsDirectory, path)}:{new FileInfo(path).Length}").Order().ToArray()
            : [];
        return new RecordingsState(await response.Content.ReadAsStringAsync(), files, await OpenUploadAsync(api, tokens, target));
    }

    public void AssertSame(RecordingsState now)
    {
        Assert.Equal(List, now.List);
        Assert.Equal(Files, now.Files);
        Assert.Equal(OpenUpload, now.OpenUpload);
    }

    private static async Task<string> OpenUploadAsync(HostProcess api, TestTokens tokens, AuthTarget target)
    {
        if (target.OpenUpload.Length == 0)
        {
            return "";
        }

        using var head = TusHttp.Request(HttpMethod.Head, $"{TusHttp.Endpoint(target.Session)}/{target.OpenUpload}");
        head.Headers.Authorization = new("Bearer", tokens.ServiceRole());
        using var response = await api.Client.SendAsync(head);
        return response.IsSuccessStatusCode ? $"offset {response.Offset()} of {response.Header("Upload-Length")}" : $"{(int)response.StatusCode}";
    }
}
