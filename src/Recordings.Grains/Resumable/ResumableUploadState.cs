using Recordings.Abstractions;

namespace Recordings.Grains.Resumable;

[GenerateSerializer]
public sealed class ResumableUploadState
{
    // The name reserved with the session at creation, as for a multipart upload, kept as plain values: the JSON grain
    // storage would also write the ticket's computed members, which it may not read back.
    [Id(0)]
    public string? SessionId { get; set; }

    [Id(7)]
    public string Filename { get; set; } = string.Empty;

    [Id(8)]
    public string RecordingType { get; set; } = string.Empty;

    [Id(9)]
    public string ContentType { get; set; } = string.Empty;

    [Id(10)]
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>Bytes fsynced in the spool (from <see cref="SpoolStart"/>); never more than the file holds.</summary>
    [Id(1)]
    public long Offset { get; set; }

    /// <summary>Null while deferred.</summary>
    [Id(2)]
    public long? Length { get; set; }

    [Id(3)]
    public DateTimeOffset Expires { get; set; }

    [Id(4)]
    public string Metadata { get; set; } = string.Empty;

    [Id(5)]
    public DateTimeOffset CreatedAt { get; set; }

    [Id(6)]
    public UploadOutcome? Outcome { get; set; }

    /// <summary>Supabase's own resumable upload that the spool's whole parts are relayed to; null until the first part.</summary>
    [Id(11)]
    public string? RelayUploadId { get; set; }

    /// <summary>Bytes Supabase confirmed (whole parts); Supabase's own answer wins when they differ.</summary>
    [Id(12)]
    public long RelayedOffset { get; set; }

    /// <summary>The silo whose disk holds the spool; null for the silo named in the upload's id.</summary>
    [Id(13)]
    public string? SpoolSilo { get; set; }

    /// <summary>The upload offset of the spool's first byte: 0, or where Supabase stood when another silo took the upload over.</summary>
    [Id(14)]
    public long SpoolStart { get; set; }

    public UploadTicket? GetTicket() =>
        SessionId is null ? null : new UploadTicket(SessionId, Filename, RecordingType, ContentType, StartedAt);

    public void SetTicket(UploadTicket ticket) =>
        (SessionId, Filename, RecordingType, ContentType, StartedAt) =
        (ticket.SessionId, ticket.Filename, ticket.RecordingType, ticket.ContentType, ticket.StartedAt);
}
