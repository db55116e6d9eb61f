using Recordings.Grains.Model;

namespace Recordings.Grains.Resumable;

[GenerateSerializer]
public sealed class ResumableUploadState
{
    /// <summary>The name reserved with the session at creation, as for a multipart upload.</summary>
    [Id(0)]
    public UploadTicket? Ticket { get; set; }

    /// <summary>Bytes fsynced in the spool; never more than the file holds.</summary>
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
}
