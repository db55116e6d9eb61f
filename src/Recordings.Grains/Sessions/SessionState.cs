using Recordings.Abstractions;

namespace Recordings.Grains.Sessions;

[GenerateSerializer]
public sealed class SessionState
{
    [Id(0)]
    public Dictionary<string, RecordingRecord> Recordings { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Whether the bucket's folder has been read into Recordings (it may have been down at first).</summary>
    [Id(1)]
    public bool SupabaseReconciled { get; set; }

    /// <summary>
    /// Names handed out to uploads still streaming, with when. Persisted: if the session grain moves to another silo
    /// mid-upload, the new activation must not hand the same name out again.
    /// </summary>
    [Id(2)]
    public Dictionary<string, DateTimeOffset> Reservations { get; set; } = new(StringComparer.Ordinal);
}
