using System.Net;
using System.Security.Cryptography;
using Recordings.Testing;

namespace Recordings.FunctionalTests.Resumable;

/// <summary>The one-machine host killed (SIGKILL) mid-upload and started again: offsets never lie, uploads resume.</summary>
public sealed class ResumableDurabilityTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private HostProcess api = null!;
    private string folder = null!;

    public async Task InitializeAsync()
    {
        api = await HostProcess.StartApiAsync();
        folder = Directory.CreateTempSubdirectory("tus-kill-").FullName;
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Tus_js_client_resumes_after_the_host_is_killed_and_restarted_mid_upload()
    {
        var session = RecordingsHttp.NewSessionId();
        var data = RandomNumberGenerator.GetBytes(50_000_000);
        var file = Path.Combine(folder, "interview.webm");
        await File.WriteAllBytesAsync(file, data);

        // A recorder's pace (10 MB/s), so the kill lands mid-upload; retries span the restart.
        await using var client = NodeTusClient.Start("upload", new
        {
            endpoint = $"http://127.0.0.1:{api.Port}{TusHttp.Endpoint(session)}",
            file,
            chunkSize = 5_000_000,
            throttleBytesPerSecond = 10_000_000,
            retryDelays = new[] { 1000, 2000, 3000, 5000, 8000, 13000 },
        });
        var url = new Uri((await client.WaitForAsync("url", Deadline)).GetProperty("url").GetString()!).PathAndQuery;
        await PollAsync(async () =>
        {
            using var head = await api.Client.HeadAsync(url);
            return head.Offset() >= 10_000_000;
        });

        await api.KillAsync();
        await api.StartAgainAsync();
        var events = await client.CompletionAsync(Deadline);

        Assert.Single(events.Named("success"));
        var resumedAt = events.Named("head").Select(e => e.GetProperty("offset").GetInt64()).ToList();
        Assert.NotEmpty(resumedAt);
        Assert.All(resumedAt, offset => Assert.True(offset >= 10_000_000, $"resumed at {offset}"));
        var stored = await api.Client.GetByteArrayAsync($"/recordings/{session}/download");
        Assert.True(data.AsSpan().SequenceEqual(stored), "the downloaded bytes differ from the uploaded ones");
    }

    [Fact]
    public async Task Bytes_of_a_patch_cut_by_a_kill_are_never_counted_and_the_upload_resumes_from_the_last_acknowledged_offset()
    {
        var session = RecordingsHttp.NewSessionId();
        var data = RandomNumberGenerator.GetBytes(5_000_000);
        var url = await api.Client.CreateOkAsync(session, data.Length);
        using (var acknowledged = await api.Client.PatchAsync(url, 0, data[..300_000]))
        {
            Assert.Equal(300_000, acknowledged.Offset());
        }

        // A PATCH whose body stops half way and hangs: the server has appended (not acknowledged) over 2 MiB.
        var spoolFile = Path.Combine(api.RecordingsDirectory, "~spool", "resumable", url.Split('/').Last() + ".part");
        using var hanging = new CancellationTokenSource();
        using var request = TusHttp.Request(HttpMethod.Patch, url);
        request.Headers.Add("Upload-Offset", "300000");
        request.Content = new HangingContent(data[300_000..2_900_000], hanging.Token);
        request.Content.Headers.ContentType = new("application/offset+octet-stream");
        var inFlight = api.Client.SendAsync(request, hanging.Token);
        await PollAsync(() => Task.FromResult(new FileInfo(spoolFile).Length >= 300_000 + 2 * 1024 * 1024));

        await api.KillAsync();
        await hanging.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => inFlight);
        await api.StartAgainAsync();

        using (var head = await api.Client.HeadAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(300_000, head.Offset());
        }

        Assert.Equal(300_000, new FileInfo(spoolFile).Length);
        using var rest = await api.Client.PatchAsync(url, 300_000, data[300_000..]);
        Assert.Equal(HttpStatusCode.NoContent, rest.StatusCode);
        Assert.Equal(data, await api.Client.GetByteArrayAsync($"/recordings/{session}/download"));
    }

    private static async Task PollAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException("The condition did not hold in time.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Sends its bytes, then never ends (until cancelled): a client stuck mid-body.</summary>
    private sealed class HangingContent(byte[] prefix, CancellationToken hang) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(prefix, hang);
            await stream.FlushAsync(hang);
            await Task.Delay(Timeout.Infinite, hang);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 5_000_000 - 300_000;
            return true;
        }
    }
}
