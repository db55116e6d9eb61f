namespace Recordings.Abstractions;

/// <summary>What happened to a completed upload.</summary>
/// <param name="FallbackReason">Why Supabase was not used, when the recording was kept locally.</param>
[GenerateSerializer, Immutable]
public sealed record UploadOutcome(
    [property: Id(0)] RecordingRecord Record,
    [property: Id(1)] string? FallbackReason);
