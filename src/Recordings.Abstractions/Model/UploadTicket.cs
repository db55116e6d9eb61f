namespace Recordings.Abstractions;

/// <summary>The session grain's answer to "I am about to upload": the unique name to store under.</summary>
[GenerateSerializer, Immutable]
public sealed record UploadTicket(
    [property: Id(0)] string SessionId,
    [property: Id(1)] string Filename,
    [property: Id(2)] string RecordingType,
    [property: Id(3)] string ContentType,
    [property: Id(4)] DateTimeOffset StartedAt)
{
    public RecordingPath ObjectPath => new(SessionId, Filename);
}
