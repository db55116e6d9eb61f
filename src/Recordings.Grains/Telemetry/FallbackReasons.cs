namespace Recordings.Grains.Telemetry;

/// <summary>
/// Sorts the reason an upload gives for keeping a file locally into the few values of the fallback counter's
/// "reason" tag. The reason is free text (it goes to the log and the client); the tag must stay a short, fixed set.
/// </summary>
public static class FallbackReasons
{
    public const string Unconfigured = "unconfigured";
    public const string Refused = "refused";
    public const string ServerError = "server_error";
    public const string Stalled = "stalled";
    public const string TooLarge = "too_large";

    /// <summary>The breaker refused the call: Supabase failed repeatedly just before.</summary>
    public const string CircuitOpen = "circuit_open";

    public const string Other = "other";

    // Checked in order: the first phrase found decides. Phrases are the ones SupabaseStorageClient and
    // SupabaseUploadFeed write; "(HTTP 5xx" is how an error answer from Supabase (or a gateway) reads.
    private static readonly (string Phrase, string Reason)[] Phrases =
    [
        ("client not initialized", Unconfigured),
        ("status 413", TooLarge),
        ("EntityTooLarge", TooLarge),
        ("failed repeatedly just before", CircuitOpen),
        ("could not reach Supabase", Refused),
        ("Supabase unreachable", Refused),
        ("stalled", Stalled),
        ("no answer within", Stalled),
        ("timed out", Stalled),
        ("did not confirm", Stalled),
        ("(HTTP 5", ServerError),
    ];

    public static string Classify(string failureReason)
    {
        foreach (var (phrase, reason) in Phrases)
        {
            if (failureReason.Contains(phrase, StringComparison.OrdinalIgnoreCase))
            {
                return reason;
            }
        }

        return Other;
    }
}
