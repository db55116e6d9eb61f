namespace Recordings.Bench.Load;

/// <summary>Uploads through the recordings service; each concurrent client is one session.</summary>
public sealed class ServiceUploadTarget(string name, ServiceClient client, int? processId, string? expectedStorage, bool typeFirst = true) : IUploadTarget
{
    public string Name => name;

    public int? ProcessId => processId;

    public string? ExpectedStorage => expectedStorage;

    public ServiceClient Client => client;

    public Task<UploadResult> UploadAsync(string runTag, int worker, long size, CancellationToken cancellationToken) =>
        client.UploadAsync($"bench-{runTag}-{worker}", size, typeFirst, cancellationToken);

    public Task CleanupAsync(IReadOnlyList<string> references, CancellationToken cancellationToken) =>
        client.DeleteAsync(references, cancellationToken);
}
