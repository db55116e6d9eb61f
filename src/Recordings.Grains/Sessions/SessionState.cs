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

    // [Id(2)] held reservations of uploads in flight until they moved to memory (SessionGrain); stored states that
    // still carry it read fine: the serializer skips a field it no longer knows.

    /// <summary>A copy with <paramref name="change"/> applied; the original stays as it was (copy-on-write).</summary>
    public SessionState With(Action<SessionState> change)
    {
        var copy = new SessionState
        {
            Recordings = new Dictionary<string, RecordingRecord>(Recordings, StringComparer.Ordinal),
            SupabaseReconciled = SupabaseReconciled,
        };
        change(copy);
        return copy;
    }
}
