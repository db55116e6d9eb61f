namespace Recordings.Grains.Resync;

/// <summary>How each silo moves its local recordings to Supabase once Supabase answers again (section "Resync").</summary>
public sealed class ResyncOptions
{
    public const string SectionName = "Resync";

    public bool Enabled { get; set; } = true;

    /// <summary>Pause between scans while everything is in sync, and the first wait after a failed probe.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait between probes while Supabase keeps failing (the wait doubles up to this).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(2);
}
