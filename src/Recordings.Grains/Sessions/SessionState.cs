using Recordings.Grains.Model;

namespace Recordings.Grains.Sessions;

[GenerateSerializer]
public sealed class SessionState
{
    [Id(0)]
    public Dictionary<string, RecordingRecord> Recordings { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Whether the bucket's folder has been read into Recordings (it may have been down at first).</summary>
    [Id(1)]
    public bool SupabaseReconciled { get; set; }
}
