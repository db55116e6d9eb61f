using Recordings.Testing;

namespace Recordings.FunctionalTests.Resumable;

/// <summary>The real one-machine host (local store), with a 1 MiB limit and one allowed browser origin.</summary>
public sealed class ResumableApiFixture : IAsyncLifetime
{
    public const long MaxUploadBytes = 1024 * 1024;
    public const string AllowedOrigin = "http://recorder.example";

    public HostProcess Api { get; private set; } = null!;

    public HttpClient Client => Api.Client;

    public string ResumableSpool => Path.Combine(Api.RecordingsDirectory, "~spool", "resumable");

    public async Task InitializeAsync() =>
        Api = await HostProcess.StartApiAsync(new Dictionary<string, string?>
        {
            ["Recordings__MaxUploadBytes"] = MaxUploadBytes.ToString(),
            ["Recordings__ChunkBytes"] = "65536",
            ["Cors__AllowedOrigins"] = $"{AllowedOrigin}, http://other.example",
        });

    public Task DisposeAsync() => Api.DisposeAsync().AsTask();
}
