namespace Recordings.Supabase;

/// <summary>What Supabase knows of one object; <paramref name="ETag"/> is unquoted (the MD5 hex on Supabase).</summary>
public sealed record StorageObjectInfo(string Name, long Size, string? ContentType, string? ETag, DateTimeOffset? CreatedAt);
