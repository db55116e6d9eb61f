namespace Recordings.Abstractions;

/// <summary>The session's answer when re-sync reports a local recording copied to Supabase.</summary>
public enum ResyncDecision
{
    /// <summary>The record now points at Supabase: the local copy may go.</summary>
    Switched,

    /// <summary>The record already pointed at Supabase: the local copy is a leftover and may go.</summary>
    AlreadyInSupabase,

    /// <summary>The recording was deleted meanwhile: remove the object just uploaded, so it is not resurrected.</summary>
    Deleted,

    /// <summary>The record names another silo's copy: leave both alone.</summary>
    NotThisCopy,
}
