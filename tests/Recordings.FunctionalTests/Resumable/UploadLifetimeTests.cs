using System.Net;
using Recordings.Testing;

namespace Recordings.FunctionalTests.Resumable;

/// <summary>Lifetimes shortened to seconds: a silent progressive upload is kept as an incomplete recording, an
/// expired fixed-length one is deleted. This host sets no CORS origins.</summary>
public sealed class UploadLifetimeTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private HostProcess api = null!;

    public async Task InitializeAsync() =>
        api = await HostProcess.StartApiAsync(new Dictionary<string, string?>
        {
            ["Recordings__AbandonAfter"] = "00:00:02",
            ["Recordings__ResumableExpiration"] = "00:00:03",
            ["Recordings__ResumableSweepInterval"] = "00:00:00.500",
        });

    public Task DisposeAsync() => api.DisposeAsync().AsTask();

    [Fact]
    public async Task A_silent_deferred_upload_becomes_a_recording_flagged_incomplete()
    {
        var session = RecordingsHttp.NewSessionId();
        var data = RecordingsHttp.RandomBytes(30_000);
        var url = await api.Client.CreateOkAsync(session, null);
        using (var part = await api.Client.PatchAsync(url, 0, data))
        {
            Assert.Equal(HttpStatusCode.NoContent, part.StatusCode);
        }

        var list = await PollAsync(async () =>
        {
            var current = await api.Client.ListAsync(session);
            return current.GetProperty("total_count").GetInt32() == 1 ? current : (System.Text.Json.JsonElement?)null;
        });

        var item = list.GetProperty("recordings")[0];
        Assert.False(item.GetProperty("complete").GetBoolean());
        Assert.Equal(data.Length, item.GetProperty("file_size").GetInt64());
        var (_, info) = await api.Client.GetJsonAsync($"/recordings/{session}");
        Assert.False(info.GetProperty("complete").GetBoolean());
        Assert.Equal(data, await api.Client.GetByteArrayAsync($"/recordings/{session}/download"));
        var (status, answer) = await api.Client.GetJsonAsync(url);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(item.Str("file_path"), answer.Str("file_path"));
        using var late = await api.Client.PatchAsync(url, data.Length, new byte[10]);
        Assert.NotEqual(HttpStatusCode.NoContent, late.StatusCode);
    }

    [Fact]
    public async Task An_expired_fixed_length_upload_is_deleted()
    {
        var session = RecordingsHttp.NewSessionId();
        var url = await api.Client.CreateOkAsync(session, 10_000);
        using (await api.Client.PatchAsync(url, 0, new byte[4000]))
        {
        }

        var spoolFile = Path.Combine(api.RecordingsDirectory, "~spool", "resumable", url.Split('/').Last() + ".part");
        Assert.True(File.Exists(spoolFile));

        await PollAsync(() => Task.FromResult(File.Exists(spoolFile) ? null : (bool?)true));
        using var head = await api.Client.HeadAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Equal(0, (await api.Client.ListAsync(session)).GetProperty("total_count").GetInt32());
    }

    [Fact]
    public async Task Without_allowed_origins_no_cors_headers_are_sent()
    {
        using var preflight = TusHttp.Request(HttpMethod.Options, TusHttp.Endpoint("s1"), tus: false);
        preflight.Headers.Add("Origin", "http://recorder.example");
        preflight.Headers.Add("Access-Control-Request-Method", "PATCH");
        using var response = await api.Client.SendAsync(preflight);

        Assert.DoesNotContain(response.Headers, header => header.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<T> PollAsync<T>(Func<Task<T?>> probe) where T : struct
    {
        var until = DateTime.UtcNow + Deadline;
        while (DateTime.UtcNow < until)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"No result within {Deadline.TotalSeconds} s");
    }
}
