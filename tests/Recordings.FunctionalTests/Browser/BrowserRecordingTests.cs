using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Recordings.Testing;

namespace Recordings.FunctionalTests.Browser;

/// <summary>Chromium with a fake camera records, uploads through tus and plays the recording back: from an app on
/// another origin (CORS) and through the service's own /recorder page.</summary>
public sealed class BrowserRecordingTests : IAsyncLifetime
{
    private readonly List<string> console = [];
    private OtherOriginPageServer otherOrigin = null!;
    private HostProcess api = null!;
    private ChromiumBrowser chromium = null!;

    private string ApiUrl => $"http://127.0.0.1:{api.Port}";

    public async Task InitializeAsync()
    {
        otherOrigin = await OtherOriginPageServer.StartAsync(RecorderPages.OtherOrigin);
        api = await HostProcess.StartApiAsync(new Dictionary<string, string?> { ["Cors__AllowedOrigins"] = otherOrigin.Origin });
        chromium = await ChromiumBrowser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await chromium.DisposeAsync();
        await api.DisposeAsync();
        await otherOrigin.DisposeAsync();
    }

    [Fact]
    public async Task A_page_on_another_origin_records_5_seconds_uploads_reads_the_answer_and_plays_the_download()
    {
        var session = RecordingsHttp.NewSessionId();
        var page = await chromium.NewPageAsync(console);
        await page.GotoAsync(otherOrigin.Origin);

        var result = await page.EvaluateAsync<JsonElement>("([api, session]) => window.recordAndUpload(api, session, 5)", new[] { ApiUrl, session });

        var answer = JsonDocument.Parse(result.Str("answer")).RootElement;
        var filePath = result.Str("filePath");
        Assert.True(answer.GetProperty("success").GetBoolean(), Log());
        Assert.Equal(filePath, answer.Str("file_path"));
        Assert.StartsWith($"{session}/interview_recording_{session}_", filePath);
        Assert.Equal(result.GetProperty("size").GetInt64(), answer.GetProperty("file_size").GetInt64());
        Assert.True(result.GetProperty("size").GetInt64() > 10_000, $"a 5 s recording of {result.GetProperty("size")} bytes");
        Assert.True(ParseDuration(result.Str("duration")) > 0, $"duration {result.Str("duration")}");
        var stored = await api.Client.GetByteArrayAsync($"/recordings/{session}/download");
        Assert.Equal(answer.GetProperty("file_size").GetInt64(), stored.Length);
    }

    [Fact]
    public async Task The_recorder_page_uploads_while_recording_and_plays_the_recording()
    {
        var session = RecordingsHttp.NewSessionId();
        var page = await chromium.NewPageAsync(console);
        await page.GotoAsync($"{ApiUrl}/recorder?session={session}&chunk=65536");

        await page.ClickAsync("#record");
        await page.WaitForFunctionAsync("() => window.recorderState.seconds >= 5 && window.recorderState.uploadUrl");
        // Live: bytes are on the server while the recording still runs.
        var uploadUrl = new Uri(await page.EvaluateAsync<string>("() => window.recorderState.uploadUrl")).PathAndQuery;
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var head = await api.Client.HeadAsync(uploadUrl);
            Assert.Equal("1", head.Header("Upload-Defer-Length"));
            if (head.Offset() > 0)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < until, $"nothing on the server after 60 s of recording\n{Log()}");
            await Task.Delay(100);
        }

        await page.ClickAsync("#stop");
        await page.WaitForFunctionAsync("() => window.recorderState.error || (window.recorderState.result && window.recorderState.playable)");

        Assert.Null(await page.EvaluateAsync<string?>("() => window.recorderState.error"));
        var filePath = await page.EvaluateAsync<string>("() => window.recorderState.result.file_path");
        Assert.StartsWith($"{session}/session_recording_{session}_", filePath);
        Assert.True(ParseDuration(await page.EvaluateAsync<string>("() => String(window.recorderState.duration)")) > 0);
        var item = (await api.Client.ListAsync(session)).GetProperty("recordings")[0];
        Assert.Equal(filePath, item.Str("file_path"));
        Assert.True(item.GetProperty("complete").GetBoolean());
        Assert.Contains(filePath.Split('/')[1], await page.InnerTextAsync("#recordings"));
    }

    internal static double ParseDuration(string text) =>
        text == "Infinity" ? double.PositiveInfinity : double.Parse(text, CultureInfo.InvariantCulture);

    private string Log() => $"browser console:\n{string.Join('\n', console)}\nhost:\n{api.Output}";
}
