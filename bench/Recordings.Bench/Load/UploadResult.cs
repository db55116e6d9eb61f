namespace Recordings.Bench.Load;

/// <summary>
/// One upload as the client saw it. <see cref="Reference"/> is what cleanup needs (the service's file_path, or the
/// object path of a direct upload); <see cref="StorageType"/> is the service's storage_type ("supabase"/"local").
/// </summary>
public sealed record UploadResult(bool Ok, double Milliseconds, long Bytes, string? StorageType, string? Reference, string? Error)
{
    public static UploadResult Failed(double milliseconds, string error) => new(false, milliseconds, 0, null, null, error);
}
