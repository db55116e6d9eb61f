namespace Recordings.Bench.Load;

/// <summary>Uploads through the service's resumable (tus) endpoint in fixed-size PATCHes; each concurrent client is one session.</summary>
public sealed class TusUploadTarget(string name, TusClient tus, ServiceClient service, int? processId, string? expectedStorage) : IUploadTarget
{
    public string Name => name;

    public int? ProcessId => processId;

    public string? ExpectedStorage => expectedStorage;

    public TusClient Tus => tus;

    public Task<UploadResult> UploadAsync(string runTag, int worker, long size, CancellationToken cancellationToken) =>
        tus.UploadAsync($"bench-{runTag}-{worker}", size, cancellationToken);

    // A finished resumable upload is a recording like any other: deleted by its file_path.
    public Task CleanupAsync(IReadOnlyList<string> references, CancellationToken cancellationToken) =>
        service.DeleteAsync(references, cancellationToken);
}
