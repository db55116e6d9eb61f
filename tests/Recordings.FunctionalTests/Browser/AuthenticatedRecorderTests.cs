using System.Net;
using System.Text;
using Microsoft.Playwright;
using Recordings.FunctionalTests.Auth;

namespace Recordings.FunctionalTests.Browser;

/// <summary>
/// /recorder with access control on: opened with a token the backend minted, it records, uploads (the token as
/// Authorization on every tus call) and plays (the token as ?token= on the download only), and the token shows
/// nowhere else: not in the address bar, the console or the host's Debug log. Without a token it says so.
/// </summary>
public sealed class AuthenticatedRecorderTests : IAsyncLifetime
{
    private readonly List<string> console = [];
    private readonly List<(string Method, string Url, string? Authorization)> requests = [];
    private readonly string secret = TestTokens.NewSecret();
    private HostProcess api = null!;
    private ChromiumBrowser chromium = null!;

    private string ApiUrl => $"http://127.0.0.1:{api.Port}";

    private TestTokens Tokens => new(secret, null, null);

    public async Task InitializeAsync()
    {
        api = await HostProcess.StartApiAsync(new Dictionary<string, string?>
        {
            ["Auth__JwtSecret"] = secret,
            ["LOG_LEVEL"] = "DEBUG",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Debug",
        });
        chromium = await ChromiumBrowser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await chromium.DisposeAsync();
        await api.DisposeAsync();
    }

    [Fact]
    public async Task Opened_with_a_minted_token_the_page_records_uploads_and_plays_and_leaks_the_token_nowhere()
    {
        var session = RecordingsHttp.NewSessionId();
        var token = await MintAsync(session, "recordings:upload recordings:read");
        var page = await NewPageAsync();

        await page.GotoAsync($"{ApiUrl}/recorder?chunk=65536#token={token}");

        Assert.DoesNotContain(token, page.Url);
        Assert.Equal(session, await page.InputValueAsync("#session")); // from the token's session_id
        await page.ClickAsync("#record");
        await page.WaitForFunctionAsync("() => window.recorderState.error || (window.recorderState.seconds >= 3 && window.recorderState.offset > 0)");
        await page.ClickAsync("#stop");
        await page.WaitForFunctionAsync("() => window.recorderState.error || (window.recorderState.result && window.recorderState.playable)");

        Assert.True(await page.EvaluateAsync<string?>("() => window.recorderState.error") is null, Log());
        var filePath = await page.EvaluateAsync<string>("() => window.recorderState.result.file_path");
        Assert.StartsWith($"{session}/session_recording_{session}_", filePath);
        using (var list = new HttpRequestMessage(HttpMethod.Get, $"/recordings/{session}/list"))
        {
            list.Headers.Authorization = new("Bearer", Tokens.ServiceRole());
            using var answer = await api.Client.SendAsync(list);
            var item = (await RecordingsHttp.ReadJsonAsync(answer.EnsureSuccessStatusCode())).GetProperty("recordings")[0];
            Assert.Equal(filePath, item.Str("file_path"));
            Assert.True(item.GetProperty("complete").GetBoolean());
        }

        // Every tus call carried the token as Authorization (OPTIONS preflights aside); only the download had it in its URL.
        var tus = requests.Where(r => r.Url.Contains("/recordings/resumable/", StringComparison.Ordinal) && r.Method != "OPTIONS").ToList();
        Assert.Contains(tus, r => r.Method == "POST");
        Assert.Contains(tus, r => r.Method == "PATCH");
        Assert.All(tus, r => Assert.Equal($"Bearer {token}", r.Authorization));
        var carrying = requests.Where(r => r.Url.Contains(token, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(carrying);
        Assert.All(carrying, r => Assert.Matches($@"^{Regex(ApiUrl)}/recordings/{session}/download\?token=[^&]+$", r.Url));
        Assert.All(carrying, r => Assert.Equal("GET", r.Method));

        Assert.DoesNotContain(token, string.Join('\n', console));
        Assert.DoesNotContain(token, await page.InnerTextAsync("body"));
        Assert.DoesNotContain(token.Split('.')[2], api.Output);
    }

    [Fact]
    public async Task Without_a_token_the_page_says_one_is_needed_and_a_token_that_cannot_upload_is_refused_with_its_reason()
    {
        var session = RecordingsHttp.NewSessionId();
        var page = await NewPageAsync();

        await page.GotoAsync($"{ApiUrl}/recorder?session={session}");
        await page.WaitForFunctionAsync("() => window.recorderState.refused === 401");
        Assert.Contains("requires an access token", await page.InnerTextAsync("#status"));
        await page.ClickAsync("#record");
        Assert.Contains("requires an access token", await page.InnerTextAsync("#status"));
        Assert.DoesNotContain(requests, r => r.Method == "POST");

        // A token that may read but not upload: the list answers, the upload's creation is refused with the reason.
        await page.FillAsync("#token", await MintAsync(session, "recordings:read"));
        await page.DispatchEventAsync("#token", "change");
        await page.ClickAsync("#record");
        await page.WaitForFunctionAsync("() => window.recorderState.refused === 403");
        var shown = await page.InnerTextAsync("#status");
        Assert.Contains("recordings:upload", shown);
        Assert.Contains("does not allow", shown);
        Assert.True(await page.IsEnabledAsync("#record"), "the page is ready to try again");
        Assert.False(Directory.Exists(Path.Combine(api.RecordingsDirectory, "~spool", "resumable")) &&
                     Directory.EnumerateFiles(Path.Combine(api.RecordingsDirectory, "~spool", "resumable")).Any(), "an upload was created");
    }

    private async Task<IPage> NewPageAsync()
    {
        var page = await chromium.NewPageAsync(console);
        page.Request += (_, request) => requests.Add((request.Method, request.Url, request.Headers.GetValueOrDefault("authorization")));
        return page;
    }

    /// <summary>As the interview app's backend does: POST /recordings/{session_id}/tokens with the service role.</summary>
    private async Task<string> MintAsync(string session, string scope)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/recordings/{session}/tokens")
        {
            Content = new StringContent($$"""{"scope": "{{scope}}", "expires_in": 600}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", Tokens.ServiceRole());
        using var response = await api.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await RecordingsHttp.ReadJsonAsync(response)).Str("token");
    }

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);

    private string Log() => $"browser console:\n{string.Join('\n', console)}\nhost:\n{api.Output}";
}
