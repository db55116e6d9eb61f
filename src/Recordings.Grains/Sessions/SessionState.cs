using Recordings.Abstractions;

namespace Recordings.Grains.Sessions;

[GenerateSerializer]
public sealed class SessionState
{
    [Id(0)]
    public Dictionary<string, RecordingRecord> Recordings { get; set; } = new(StringComparer.Ordinal);

    /// <summary>No longer used: older servers' recordings are adopted at silo start (kept so stored state still reads).</summary>
    [Id(1)]
    public bool SupabaseReconciled { get; set; }

    /// <summary>
    /// Names handed out to uploads still streaming, with when. Persisted: if the session grain moves to another silo
    /// mid-upload, the new activation must not hand the same name out again.
    /// </summary>
    [Id(2)]
    public Dictionary<string, DateTimeOffset> Reservations { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A copy with <paramref name="change"/> applied; the original stays as it was (copy-on-write).</summary>
    public SessionState With(Action<SessionState> change)
    {
        var copy = new SessionState
        {
            Recordings = new Dictionary<string, RecordingRecord>(Recordings, StringComparer.Ordinal),
            SupabaseReconciled = SupabaseReconciled,
            Reservations = new Dictionary<string, DateTimeOffset>(Reservations, StringComparer.Ordinal),
        };
        change(copy);
        return copy;
    }
}
