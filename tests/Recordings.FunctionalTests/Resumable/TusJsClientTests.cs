using System.Net;
using System.Security.Cryptography;
using Recordings.Testing;

namespace Recordings.FunctionalTests.Resumable;

/// <summary>tus-js-client in Node against the real one-machine host (local store, default 50 MiB limit).</summary>
public sealed class TusJsClientTests : IAsyncLifetime
{
    private const int FiveMegabytes = 5_000_000;
    private HostProcess api = null!;
    private string folder = null!;

    public async Task InitializeAsync()
    {
        api = await HostProcess.StartApiAsync();
        folder = Directory.CreateTempSubdirectory("tus-client-").FullName;
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task A_50_MB_upload_interrupted_after_three_chunks_resumes_above_zero_and_arrives_byte_for_byte()
    {
        var session = RecordingsHttp.NewSessionId();
        var (file, data) = WriteRandomFile(50_000_000);
        var endpoint = Endpoint(session);

        var first = await NodeTusClient.RunAsync("upload", new { endpoint, file, chunkSize = FiveMegabytes, abortAfterChunks = 3 });
        var aborted = Assert.Single(first.Named("aborted"));
        Assert.Equal(3 * FiveMegabytes, aborted.GetProperty("offset").GetInt64());
        Assert.Empty(first.Named("success"));
        var url = first.Named("url").First().GetProperty("url").GetString()!;

        var second = await NodeTusClient.RunAsync("upload", new { endpoint, file, chunkSize = FiveMegabytes, uploadUrl = url });

        Assert.Equal(3 * FiveMegabytes, second.Named("head").First().GetProperty("offset").GetInt64());
        Assert.Equal(7, second.Named("chunk").Count());
        var success = Assert.Single(second.Named("success"));
        Assert.StartsWith($"{session}/session_recording_{session}_", success.GetProperty("filePath").GetString());
        await AssertStoredAsync(session, data);
    }

    [Fact]
    public async Task A_deferred_length_upload_fed_from_a_stream_arrives_byte_for_byte()
    {
        var session = RecordingsHttp.NewSessionId();
        var (file, data) = WriteRandomFile(12_345_678);

        var events = await NodeTusClient.RunAsync("upload", new { endpoint = Endpoint(session), file, chunkSize = 2_000_000, deferred = true });

        Assert.Single(events.Named("success"));
        Assert.True(events.Named("chunk").Count() >= 6);
        await AssertStoredAsync(session, data);
        Assert.True((await api.Client.ListAsync(session)).GetProperty("recordings")[0].GetProperty("complete").GetBoolean());
    }

    [Fact]
    public async Task Termination_removes_the_upload()
    {
        var session = RecordingsHttp.NewSessionId();
        var (file, _) = WriteRandomFile(12_000_000);
        var started = await NodeTusClient.RunAsync("upload", new { endpoint = Endpoint(session), file, chunkSize = FiveMegabytes, abortAfterChunks = 1 });
        var url = started.Named("url").First().GetProperty("url").GetString()!;
        var spoolFile = Path.Combine(api.RecordingsDirectory, "~spool", "resumable", url.Split('/').Last() + ".part");
        Assert.Equal(FiveMegabytes, new FileInfo(spoolFile).Length);

        var events = await NodeTusClient.RunAsync("terminate", new { url });

        Assert.Single(events.Named("terminated"));
        Assert.False(File.Exists(spoolFile));
        using var head = await api.Client.HeadAsync(new Uri(url).PathAndQuery);
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Equal(0, (await api.Client.ListAsync(session)).GetProperty("total_count").GetInt32());
    }

    private string Endpoint(string session) => $"http://127.0.0.1:{api.Port}{TusHttp.Endpoint(session)}";

    private (string Path, byte[] Data) WriteRandomFile(int size)
    {
        var data = RandomNumberGenerator.GetBytes(size);
        var path = Path.Combine(folder, Guid.NewGuid().ToString("N") + ".webm");
        File.WriteAllBytes(path, data);
        return (path, data);
    }

    private async Task AssertStoredAsync(string session, byte[] data)
    {
        var stored = await api.Client.GetByteArrayAsync($"/recordings/{session}/download");
        Assert.Equal(data.Length, stored.Length);
        Assert.True(data.AsSpan().SequenceEqual(stored), "the downloaded bytes differ from the uploaded ones");
    }
}
