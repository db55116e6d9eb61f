using System.Net;
using Recordings.Testing;

namespace Recordings.FunctionalTests.Browser;

/// <summary>A recorder whose tab closes mid-recording: what arrived becomes a recording flagged incomplete, and it plays.</summary>
public sealed class ProgressiveRecordingTests : IAsyncLifetime
{
    private readonly List<string> console = [];
    private HostProcess api = null!;
    private ChromiumBrowser chromium = null!;

    private string ApiUrl => $"http://127.0.0.1:{api.Port}";

    public async Task InitializeAsync()
    {
        api = await HostProcess.StartApiAsync(new Dictionary<string, string?>
        {
            ["Recordings__AbandonAfter"] = "00:00:03",
            ["Recordings__ResumableSweepInterval"] = "00:00:00.500",
        });
        chromium = await ChromiumBrowser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await chromium.DisposeAsync();
        await api.DisposeAsync();
    }

    [Fact]
    public async Task A_progressive_upload_abandoned_mid_way_becomes_an_incomplete_recording_that_plays()
    {
        var session = RecordingsHttp.NewSessionId();
        var recorder = await chromium.NewPageAsync(console);
        await recorder.GotoAsync($"{ApiUrl}/recorder?session={session}&chunk=32768");
        await recorder.ClickAsync("#record");
        await recorder.WaitForFunctionAsync("() => window.recorderState.seconds >= 2 && window.recorderState.uploadUrl");
        var uploadUrl = new Uri(await recorder.EvaluateAsync<string>("() => window.recorderState.uploadUrl")).PathAndQuery;
        await PollAsync(async () =>
        {
            using var head = await api.Client.HeadAsync(uploadUrl);
            return head.Offset() >= 64 * 1024;
        });

        // The tab closes mid-recording: no stop, no final request.
        await recorder.Context.CloseAsync();

        await PollAsync(async () => (await api.Client.ListAsync(session)).GetProperty("total_count").GetInt32() == 1);
        var item = (await api.Client.ListAsync(session)).GetProperty("recordings")[0];
        Assert.False(item.GetProperty("complete").GetBoolean());
        Assert.True(item.GetProperty("file_size").GetInt64() >= 64 * 1024);
        var (status, info) = await api.Client.GetJsonAsync($"/recordings/{session}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(info.GetProperty("complete").GetBoolean());

        var viewer = await chromium.NewPageAsync(console);
        await viewer.GotoAsync($"{ApiUrl}/recorder?session={session}");
        await viewer.WaitForFunctionAsync("() => window.recorderState.playable");
        var duration = await viewer.EvaluateAsync<string>("() => String(window.recorderState.duration)");
        Assert.True(BrowserRecordingTests.ParseDuration(duration) > 0, $"duration {duration}\n{string.Join('\n', console)}");
        Assert.Contains("incomplete", await viewer.InnerTextAsync("#recordings"));
    }

    private static async Task PollAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException("The condition did not hold within 60 s.");
            }

            await Task.Delay(100);
        }
    }
}
