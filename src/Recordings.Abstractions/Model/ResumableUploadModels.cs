
namespace Recordings.Abstractions;

/// <summary>What a tus creation request asks for, already validated by the API.</summary>
/// <param name="Length">The declared size, or null for a deferred-length (progressive) upload.</param>
/// <param name="Metadata">The client's Upload-Metadata header, echoed on HEAD.</param>
[GenerateSerializer, Immutable]
public sealed record ResumableUploadRequest(
    [property: Id(0)] string SessionId,
    [property: Id(1)] string RecordingType,
    [property: Id(2)] string Extension,
    [property: Id(3)] string ContentType,
    [property: Id(4)] long? Length,
    [property: Id(5)] string Metadata);

/// <summary>Where an upload stands; <see cref="Offset"/> counts only durable bytes.</summary>
/// <param name="Outcome">Set once the upload is a recording.</param>
[GenerateSerializer, Immutable]
public sealed record ResumableUploadStatus(
    [property: Id(0)] string SessionId,
    [property: Id(1)] long Offset,
    [property: Id(2)] long? Length,
    [property: Id(3)] DateTimeOffset Expires,
    [property: Id(4)] string Metadata,
    [property: Id(5)] UploadOutcome? Outcome);

[GenerateSerializer, Immutable]
public sealed record ResumableUploadCreated([property: Id(0)] string UploadId, [property: Id(1)] ResumableUploadStatus Status);

public enum PatchOutcome
{
    Started,
    Saved,
    NotFound,
    Conflict,
    Finished,
    LengthMismatch,
    TooLarge,
    ChecksumMismatch,
    Superseded,
}

/// <summary>How the API stopped reading a PATCH body.</summary>
public enum PatchEnd
{
    /// <summary>The whole body arrived.</summary>
    Complete,

    /// <summary>The client went away mid-body: keep what arrived (unless a checksum cannot be verified).</summary>
    Interrupted,

    /// <summary>Refused (over the size limit): drop this request's bytes.</summary>
    Discard,
}

/// <param name="Patch">The token that the request's appends carry; a newer PATCH supersedes it.</param>
/// <param name="MaxBytes">How many bytes this PATCH may still bring.</param>
[GenerateSerializer, Immutable]
public sealed record PatchResult(
    [property: Id(0)] PatchOutcome Outcome,
    [property: Id(1)] ResumableUploadStatus? Status,
    [property: Id(2)] int Patch = 0,
    [property: Id(3)] long MaxBytes = 0);
