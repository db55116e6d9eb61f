namespace Recordings.Supabase;

/// <summary>A bucket; <paramref name="FileSizeLimit"/> in bytes, null when the bucket sets none.</summary>
public sealed record BucketInfo(string Id, string Name, bool Public, long? FileSizeLimit);
