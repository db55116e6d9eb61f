using Recordings.Abstractions;

namespace Recordings.Grains.Telemetry;

/// <summary>The values of the re-sync counter's "outcome" tag: the one spelling dashboards and the README use.</summary>
public static class ResyncOutcomes
{
    public const string Switched = "switched";
    public const string AlreadyInSupabase = "already_in_supabase";
    public const string Deleted = "deleted";
    public const string NotThisCopy = "not_this_copy";

    /// <summary>The object in Supabase did not match the local file; the local copy stays.</summary>
    public const string Unverified = "unverified";

    /// <summary>Supabase refused the file for good (too large, say); it was set aside.</summary>
    public const string Refused = "refused";

    public static string Of(ResyncDecision decision) => decision switch
    {
        ResyncDecision.Switched => Switched,
        ResyncDecision.AlreadyInSupabase => AlreadyInSupabase,
        ResyncDecision.Deleted => Deleted,
        ResyncDecision.NotThisCopy => NotThisCopy,
        _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, "No outcome label for this decision."),
    };
}
