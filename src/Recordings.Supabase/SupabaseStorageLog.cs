using Microsoft.Extensions.Logging;

namespace Recordings.Supabase;

/// <summary>The client's log events. Targets are object paths or bucket names; the key is never a parameter.</summary>
internal static partial class SupabaseStorageLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug,
        Message = "Supabase {Operation} of '{Target}' answered HTTP {HttpStatus} in {ElapsedMs:0} ms")]
    public static partial void CallCompleted(ILogger logger, string operation, string target, int httpStatus, double elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "Supabase {Operation} of '{Target}' failed after {ElapsedMs:0} ms: {Reason}")]
    public static partial void CallFailed(ILogger logger, string operation, string target, double elapsedMs, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information,
        Message = "Supabase upload of '{Target}' stopped: the stream feeding it failed ({Reason})")]
    public static partial void UploadSourceFailed(ILogger logger, string target, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information,
        Message = "Created Supabase bucket '{Bucket}' (public: {Public})")]
    public static partial void BucketCreated(ILogger logger, string bucket, bool @public);
}
