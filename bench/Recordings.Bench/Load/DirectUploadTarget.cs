namespace Recordings.Bench.Load;

/// <summary>Uploads straight to the storage server, under bench-direct/ in the bucket; no service process is involved.</summary>
public sealed class DirectUploadTarget(StorageClient storage) : IUploadTarget
{
    public string Name => "direct";

    public int? ProcessId => null;

    public string? ExpectedStorage => "supabase";

    public Task<UploadResult> UploadAsync(string runTag, int worker, long size, CancellationToken cancellationToken) =>
        storage.UploadAsync($"bench-direct/{runTag}-{worker}-{Guid.NewGuid():N}.webm", size, cancellationToken);

    public Task CleanupAsync(IReadOnlyList<string> references, CancellationToken cancellationToken) =>
        storage.DeleteAsync(references, cancellationToken);
}
