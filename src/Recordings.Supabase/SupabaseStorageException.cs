namespace Recordings.Supabase;

/// <summary>
/// Any failure of a Supabase Storage call: an error answer, or no usable answer at all
/// (open circuit, timeout, connection failure; then <see cref="HttpStatus"/> is 0).
/// The message names the operation and Supabase's reason, never the key.
/// </summary>
public sealed class SupabaseStorageException : Exception
{
    public SupabaseStorageException(string message, string statusCode, string? errorCode, int httpStatus, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        HttpStatus = httpStatus;
    }

    /// <summary>
    /// The status Supabase meant: "statusCode" from the error body ("404", "409", "413"...), else the HTTP status.
    /// "503" when no answer came (circuit open, connection failed), "504" on a timeout.
    /// </summary>
    public string StatusCode { get; }

    /// <summary>Supabase's "code" (see <see cref="SupabaseErrorCodes"/>), or this client's own code when no answer came.</summary>
    public string? ErrorCode { get; }

    /// <summary>The real HTTP status; 0 when no response arrived.</summary>
    public int HttpStatus { get; }

    /// <summary>What kind of failure this is, for the fallback counter: from the codes, never from the message text.</summary>
    public UploadFailureKind FailureKind => (HttpStatus, StatusCode, ErrorCode) switch
    {
        (_, _, SupabaseErrorCodes.CircuitOpen) => UploadFailureKind.CircuitOpen,
        (_, _, SupabaseErrorCodes.Timeout) => UploadFailureKind.Stalled,
        (_, _, SupabaseErrorCodes.ConnectionFailed) => UploadFailureKind.Refused,
        (413, _, _) or (_, "413", _) or (_, _, SupabaseErrorCodes.EntityTooLarge) => UploadFailureKind.TooLarge,
        (>= 500, _, _) => UploadFailureKind.ServerError,
        _ => UploadFailureKind.Other,
    };

    /// <summary>Worth trying again later: Supabase was unreachable, overloaded or faulty, not refusing this request.</summary>
    public bool IsTransient =>
        ErrorCode is not (SupabaseErrorCodes.EntityTooLarge or SupabaseErrorCodes.InvalidMimeType) &&
        HttpStatus is 0 or 408 or 429 or >= 500;
}
