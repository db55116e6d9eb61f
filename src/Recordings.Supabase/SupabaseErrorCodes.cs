namespace Recordings.Supabase;

/// <summary>Values of <see cref="SupabaseStorageException.ErrorCode"/>.</summary>
public static class SupabaseErrorCodes
{
    // Sent by Supabase Storage in the "code" field of an error body.
    public const string NoSuchKey = "NoSuchKey";
    public const string NoSuchBucket = "NoSuchBucket";
    public const string KeyAlreadyExists = "KeyAlreadyExists";
    public const string BucketAlreadyExists = "BucketAlreadyExists";
    public const string EntityTooLarge = "EntityTooLarge";
    public const string AccessDenied = "AccessDenied";
    public const string InvalidRequest = "InvalidRequest";
    public const string InvalidKey = "InvalidKey";
    public const string InvalidMimeType = "InvalidMimeType";

    // Set by this client when no answer from Supabase could be used (HttpStatus is then 0).

    /// <summary>Supabase failed repeatedly just before; the call was refused without being sent.</summary>
    public const string CircuitOpen = "CircuitOpen";

    /// <summary>No answer within RequestTimeout (per attempt) or UploadTimeout.</summary>
    public const string Timeout = "Timeout";

    /// <summary>The connection could not be made or broke (refused, reset, DNS).</summary>
    public const string ConnectionFailed = "ConnectionFailed";

    /// <summary>A success status whose body was not the JSON the contract promises.</summary>
    public const string InvalidResponse = "InvalidResponse";
}
