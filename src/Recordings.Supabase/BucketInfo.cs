namespace Recordings.Supabase;

/// <summary>
/// A bucket; <paramref name="FileSizeLimit"/> in bytes, null when the bucket sets none; <paramref name="AllowedMimeTypes"/>
/// ("audio/*", "video/webm", ...) null when it accepts any type.
/// </summary>
public sealed record BucketInfo(string Id, string Name, bool Public, long? FileSizeLimit, IReadOnlyList<string>? AllowedMimeTypes = null);
