using Recordings.Supabase;

namespace Recordings.Grains.Telemetry;

/// <summary>The values of the fallback counter's "reason" tag (dashboards and alerts use them): one per failure kind.</summary>
public static class FallbackReasons
{
    public static string TagOf(UploadFailureKind kind) => kind switch
    {
        UploadFailureKind.Unconfigured => "unconfigured",
        UploadFailureKind.Refused => "refused",
        UploadFailureKind.ServerError => "server_error",
        UploadFailureKind.Stalled => "stalled",
        UploadFailureKind.TooLarge => "too_large",
        UploadFailureKind.CircuitOpen => "circuit_open",
        _ => "other",
    };
}
