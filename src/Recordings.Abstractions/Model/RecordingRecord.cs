namespace Recordings.Abstractions;

/// <summary>One recording of a session, as the session grain remembers it.</summary>
/// <param name="LocalSilo">For local recordings: the name of the silo whose disk holds the file.</param>
/// <param name="ResyncError">Why Supabase refused this local recording for good; re-sync then leaves it where it is.</param>
/// <param name="Incomplete">A progressive upload whose recorder went silent: what arrived, kept as a recording.</param>
[GenerateSerializer, Immutable]
public sealed record RecordingRecord(
    [property: Id(0)] string Filename,
    [property: Id(1)] string RecordingType,
    [property: Id(2)] StorageType Storage,
    [property: Id(3)] long Size,
    [property: Id(4)] DateTimeOffset UploadTime,
    [property: Id(5)] string ContentType,
    [property: Id(6)] string? Sha256,
    [property: Id(7)] string? LocalSilo,
    [property: Id(8)] string? ResyncError = null,
    [property: Id(9)] bool Incomplete = false);
