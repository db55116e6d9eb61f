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

    /// <summary>Appends the first <paramref name="count"/> bytes of <paramref name="buffer"/>, in call order.</summary>
    Task Write([Immutable] byte[] buffer, int count);

    /// <summary>Finishes the upload, keeps the file in Supabase or locally, and commits it to its session.</summary>
    Task<UploadOutcome> Complete(UploadTicket ticket);

    /// <summary>Drops everything received so far (client gone, size limit hit).</summary>
    Task Abort();
}
