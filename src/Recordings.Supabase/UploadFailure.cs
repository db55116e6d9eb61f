namespace Recordings.Supabase;

/// <summary>Why Supabase did not take an upload, in the few kinds telemetry counts; the message is for logs and clients.</summary>
public sealed record UploadFailure(UploadFailureKind Kind, string Message)
{
    public static UploadFailure Unconfigured { get; } = new(UploadFailureKind.Unconfigured, "Supabase client not initialized");

    public static UploadFailure From(Exception exception) => exception switch
    {
        SupabaseStorageException storage => new(storage.FailureKind, storage.Message),
        OperationCanceledException => new(UploadFailureKind.Stalled, "Supabase upload timed out"),
        HttpRequestException http => new(UploadFailureKind.Refused, $"Supabase unreachable: {http.Message}"),
        _ => new(UploadFailureKind.Other, $"{exception.GetType().Name}: {exception.Message}"),
    };

    public override string ToString() => Message;
}

public enum UploadFailureKind
{
    Unconfigured,
    Refused,
    ServerError,
    Stalled,
    TooLarge,

    /// <summary>The breaker refused the call: Supabase failed repeatedly just before.</summary>
    CircuitOpen,
    Other,
}
