using Orleans.Concurrency;
using Recordings.Abstractions;

namespace Recordings.Abstractions;

/// <summary>
/// One interview session (key: session id). Changes (begin, commit, delete, re-sync switch) run one at a time;
/// reads interleave, so they never wait behind a commit or delete in progress.
/// </summary>
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary>Reserves a unique filename for an upload about to start.</summary>
    Task<UploadTicket> BeginUpload(string recordingType, string extension, string contentType);

    /// <summary>Records a finished upload (called by the upload grain once its bytes are safe).</summary>
    Task Commit(RecordingRecord record);

    /// <summary>Frees a reserved filename whose upload was abandoned.</summary>
    Task Release(string filename);

    Task<DeleteOutcome> Delete(string filename);

    /// <summary>Re-sync has copied a local recording to Supabase: switch the record, and say what to do with both copies.</summary>
    Task<ResyncDecision> SwitchToSupabase(string filename, string fromSilo);

    /// <summary>Supabase refused a local recording for good (too large, type not allowed): re-sync sets it aside.</summary>
    Task SetResyncError(string filename, string fromSilo, string error);

    /// <summary>The import tool put a recording of an older server into Supabase: record it there (idempotent).</summary>
    Task RegisterImported(RecordingRecord record);

    [AlwaysInterleave]
    Task<RecordingRecord?> GetLatest();

    [AlwaysInterleave]
    Task<RecordingRecord?> Get(string filename);

    /// <summary>Every recording of the session, newest first.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<RecordingRecord>> List();
}
