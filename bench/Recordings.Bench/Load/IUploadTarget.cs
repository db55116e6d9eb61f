namespace Recordings.Bench.Load;

/// <summary>Somewhere uploads go: the service (to Supabase or to its local store) or the storage server directly.</summary>
public interface IUploadTarget
{
    /// <summary>Short name for tables: "direct", "supabase", "local", "supabase, file first".</summary>
    string Name { get; }

    /// <summary>The service process behind the target, when it runs on this machine; null for direct uploads.</summary>
    int? ProcessId { get; }

    /// <summary>storage_type every upload should report; another one counts as a fallback. Null: anything goes.</summary>
    string? ExpectedStorage { get; }

    /// <param name="worker">Which concurrent client sends it: each client is one interview session of its own.</param>
    Task<UploadResult> UploadAsync(string runTag, int worker, long size, CancellationToken cancellationToken);

    /// <summary>Removes what the uploads of a measurement left, so disk and page cache start each one alike.</summary>
    Task CleanupAsync(IReadOnlyList<string> references, CancellationToken cancellationToken);
}
