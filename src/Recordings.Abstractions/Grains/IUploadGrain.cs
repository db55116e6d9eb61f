using Orleans.Concurrency;
using Recordings.Abstractions;

namespace Recordings.Abstractions;

/// <summary>
/// One upload in flight (key: a fresh Guid), placed on the caller's silo. It spools the bytes to that silo's disk
/// and, when the name is known up front, streams them to Supabase at the same time.
/// </summary>
public interface IUploadGrain : IGrainWithGuidKey
{
    /// <summary>Starts the spool; with a ticket, also starts the streamed Supabase upload.</summary>
    Task Open(UploadTicket? ticket);

    /// <summary>Appends <paramref name="data"/>, in call order. The caller must not reuse its memory until the call returns.</summary>
    Task Write([Immutable] ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>
    /// A whole upload that fits in one chunk, in one call instead of Open, Write and Complete: it goes straight to
    /// Supabase from memory and touches the disk only when Supabase does not take it. Same outcome and failure rules
    /// as <see cref="Complete"/>.
    /// </summary>
    Task<UploadOutcome> StoreWhole(UploadTicket ticket, [Immutable] ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>
    /// Finishes the upload, keeps the file in Supabase or locally, and commits it to its session. Once cancelled it
    /// commits nothing; whatever it stored is removed.
    /// </summary>
    Task<UploadOutcome> Complete(UploadTicket ticket, CancellationToken cancellationToken = default);

    /// <summary>
    /// Drops everything received so far (client gone, size limit hit, the API gave up). With the upload's ticket it
    /// also withdraws the name from its session, taking back a commit the client was never told about.
    /// </summary>
    Task Abort(UploadTicket? ticket = null);
}
