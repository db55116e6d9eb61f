namespace Recordings.Api.Apis;

// Wire shapes of the seed server (snake_case via the JSON naming policy). Fields may be added, never renamed.

public sealed record ErrorDetail(string Detail);

public sealed record UploadResponse(
    bool Success, string FilePath, long FileSize, string Message, string StorageType, string Filename, string Sha256);

/// <param name="Complete">False for a progressive upload kept after its recorder went silent (added field).</param>
public sealed record RecordingInfoResponse(
    string SessionId, string Filename, string FilePath, long FileSize, string UploadTime,
    string? PublicUrl, string? Bucket, string StorageType, bool Complete = true);

public sealed record SupabaseDownloadResponse(
    string StorageType, string FilePath, long FileSize, string? PublicUrl, string? SignedUrl, int? ExpiresIn);

/// <param name="Silo">For local recordings: the silo whose disk holds the file (added field; absent for Supabase).</param>
/// <param name="Complete">False for a progressive upload kept after its recorder went silent (added field).</param>
public sealed record RecordingListItem(
    string Filename, string FilePath, string StorageType, long FileSize, string UploadTime, string? PublicUrl, string? Bucket,
    string? Silo = null, string? ResyncError = null, bool Complete = true);

public sealed record RecordingListResponse(string SessionId, IReadOnlyList<RecordingListItem> Recordings, int TotalCount);

public sealed record DeleteResponse(bool Success, string Message, string Filename);
