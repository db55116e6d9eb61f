
namespace Recordings.FunctionalTests.Auth;

/// <summary>What a refused request must not change: a session's list (read with the service role) and the files on disk.</summary>
public sealed record RecordingsState(string List, string[] Files)
{
    public static async Task<RecordingsState> ReadAsync(HostProcess api, TestTokens tokens, string session)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/recordings/{session}/list");
        request.Headers.Authorization = new("Bearer", tokens.ServiceRole());
        using var response = await api.Client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.EnsureSuccessStatusCode().StatusCode);
        var files = Directory.Exists(api.RecordingsDirectory)
            ? Directory.EnumerateFiles(api.RecordingsDirectory, "*", SearchOption.AllDirectories)
                .Select(path => $"{Path.GetRelativePath(api.RecordingsDirectory, path)}:{new FileInfo(path).Length}").Order().ToArray()
            : [];
        return new RecordingsState(await response.Content.ReadAsStringAsync(), files);
    }

    public void AssertSame(RecordingsState now)
    {
        Assert.Equal(List, now.List);
        Assert.Equal(Files, now.Files);
    }
}
