using Orleans.Concurrency;

namespace Recordings.Abstractions;

/// <summary>
/// One tus upload (key: <see cref="ResumableUploadId"/>), living on the silo whose disk holds its spool, with its
/// offset persisted in grain storage; when that silo is gone, on another one, from the part relayed to Supabase. A PATCH is BeginPatch, Appends in order, then EndPatch, from any API host.
/// </summary>
public interface IResumableUploadGrain : IGrainWithStringKey
{
    Task<ResumableUploadStatus> Create(ResumableUploadRequest request);

    /// <summary>Null for an unknown, expired or terminated upload.</summary>
    Task<ResumableUploadStatus?> GetStatus();

    /// <param name="uploadLength">Upload-Length sent with a PATCH of a deferred-length upload.</param>
    /// <param name="sha1">The Upload-Checksum of this PATCH's body, when the client sent one.</param>
    Task<PatchResult> BeginPatch(long offset, long? uploadLength, byte[]? sha1);

    Task Append(int patch, [Immutable] ReadOnlyMemory<byte> data);

    /// <summary>Makes what this PATCH brought durable (or drops it) and, at the last byte, stores the recording.</summary>
    Task<PatchResult> EndPatch(int patch, PatchEnd end);

    /// <summary>Deletes every byte of the upload (and the recording, if it finished); false when unknown.</summary>
    Task<bool> Terminate();

    /// <summary>
    /// Called by a silo's sweeper: abandon or expire the upload when its time has come. Returns the name of the silo
    /// whose spool the upload lives on, or null when it needs no spool any more (finished or gone).
    /// </summary>
    Task<string?> Sweep();
}

/// <summary>Creates uploads on whichever silo it runs on (any silo; API hosts in a cluster have none).</summary>
public interface IResumableUploadStarter : IGrainWithIntegerKey
{
    Task<ResumableUploadCreated> Create(ResumableUploadRequest request);
}
