namespace Recordings.Supabase;

/// <summary>One object of a folder listing; <paramref name="Name"/> is relative to the listed folder.</summary>
public sealed record StorageObject(string Name, long Size, string? ContentType, string? ETag, DateTimeOffset? CreatedAt);
