using Microsoft.Extensions.Logging;
using Recordings.Abstractions;
using Recordings.Grains.SiloStore;
using Recordings.Grains.Storage;
using Recordings.Supabase;

namespace Recordings.Grains.Sessions;

public sealed class SessionGrain(
    [PersistentState("session", GrainStorage.Name)] IPersistentState<SessionState> state,
    SupabaseStorageClient supabase,
    LocalRecordingStore localStore,
    ILocalSiloDetails silo,
    ILogger<SessionGrain> logger) : Grain, ISessionGrain
{
    // An upload that never completed or aborted (its API host died) leaves a reservation behind; it expires.
    private static readonly TimeSpan ReservationLifetime = TimeSpan.FromDays(1);

    private long lastNamedSecond;
    private int lastAttempt;

    private string SessionId => this.GetPrimaryKeyString();

    private Dictionary<string, RecordingRecord> Recordings => state.State.Recordings;

    private Dictionary<string, DateTimeOffset> Reservations => state.State.Reservations;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var isNew = !state.RecordExists;
        var changed = false;
        if (isNew)
        {
            changed |= ReconcileLocal();
        }

        if (!state.State.SupabaseReconciled && supabase.IsConfigured)
        {
            changed |= await ReconcileSupabaseAsync(cancellationToken);
        }

        if (changed)
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }

    public async Task<UploadTicket> BeginUpload(string recordingType, string extension, string contentType)
    {
        var now = DateTimeOffset.UtcNow;
        var second = now.ToUnixTimeSeconds();
        // Within one second the suffix only grows, so a name freed by a delete is never handed out again.
        var attempt = second == lastNamedSecond ? lastAttempt + 1 : 1;
        string filename;
        while (true)
        {
            filename = RecordingNames.Create(recordingType, SessionId, now, extension, attempt);
            if (!Recordings.ContainsKey(filename) && !Reservations.ContainsKey(filename))
            {
                break;
            }

            attempt++;
        }

        (lastNamedSecond, lastAttempt) = (second, attempt);
        foreach (var stale in Reservations.Where(r => now - r.Value > ReservationLifetime).Select(r => r.Key).ToList())
        {
            Reservations.Remove(stale);
        }

        Reservations[filename] = now;
        await state.WriteStateAsync();
        return new UploadTicket(SessionId, filename, recordingType, contentType, now);
    }

    public async Task Commit(RecordingRecord record)
    {
        if (Recordings.TryGetValue(record.Filename, out var existing))
        {
            // The same commit delivered twice (the runtime may resend a call while silos leave): already done.
            if (existing == record)
            {
                return;
            }

            // Only possible when two activations of this session briefly overlapped during a cluster change.
            throw NameCollision(record.Filename);
        }

        Reservations.Remove(record.Filename);
        Recordings.Add(record.Filename, record);
        await state.WriteStateAsync();
    }

    public static RecordingUnavailableException NameCollision(string filename) =>
        new($"The name {filename} was handed out twice during a cluster change; send the upload again.");

    public async Task Release(string filename)
    {
        if (Reservations.Remove(filename))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task<DeleteOutcome> Delete(string filename)
    {
        Recordings.TryGetValue(filename, out var record);
        var fromSupabase = false;
        var fromLocal = false;

        if (record is null || record.Storage == StorageType.Supabase)
        {
            fromSupabase = await DeleteFromSupabaseAsync(filename, mustSucceed: record is not null) || record is not null;
        }

        if (record is { Storage: StorageType.Local, LocalSilo: { } holder })
        {
            await SiloStoreGuard.CallAsync(holder, () => GrainFactory.GetGrain<ISiloStoreGrain>(holder).Delete(SessionId, filename));
            fromLocal = true;
        }
        else if (record is null)
        {
            // Not known to the session: still honour the seed's "delete from both stores" on this silo's disk.
            fromLocal = localStore.Delete(SessionId, filename);
        }

        if (record is not null)
        {
            Recordings.Remove(filename);
            await state.WriteStateAsync();
        }

        return new DeleteOutcome(fromSupabase, fromLocal);
    }

    public async Task<ResyncDecision> SwitchToSupabase(string filename, string fromSilo)
    {
        if (!Recordings.TryGetValue(filename, out var record))
        {
            return ResyncDecision.Deleted;
        }

        if (record.Storage == StorageType.Supabase)
        {
            return ResyncDecision.AlreadyInSupabase;
        }

        if (record.LocalSilo != fromSilo)
        {
            return ResyncDecision.NotThisCopy;
        }

        Recordings[filename] = record with { Storage = StorageType.Supabase, LocalSilo = null };
        await state.WriteStateAsync();
        return ResyncDecision.Switched;
    }

    public async Task SetResyncError(string filename, string fromSilo, string error)
    {
        if (Recordings.TryGetValue(filename, out var record) && record.LocalSilo == fromSilo && record.ResyncError != error)
        {
            Recordings[filename] = record with { ResyncError = error };
            await state.WriteStateAsync();
        }
    }

    public async Task RegisterImported(RecordingRecord record)
    {
        if (Recordings.TryGetValue(record.Filename, out var known) && known.Storage == StorageType.Supabase)
        {
            return;
        }

        // A local record of the same file (reconciled from disk) now points at Supabase; re-sync drops that copy.
        Recordings[record.Filename] = record with { Storage = StorageType.Supabase, LocalSilo = null };
        await state.WriteStateAsync();
    }

    public Task<RecordingRecord?> GetLatest() => Task.FromResult(NewestFirst().FirstOrDefault());

    public Task<RecordingRecord?> Get(string filename) =>
        Task.FromResult(Recordings.GetValueOrDefault(filename));

    public Task<IReadOnlyList<RecordingRecord>> List() => Task.FromResult<IReadOnlyList<RecordingRecord>>(NewestFirst().ToList());

    // Same-time uploads (same second, or equal parsed times) order by name, so every read agrees on "newest".
    private IOrderedEnumerable<RecordingRecord> NewestFirst() =>
        Recordings.Values.OrderByDescending(r => r.UploadTime).ThenByDescending(r => r.Filename, StringComparer.Ordinal);

    private async Task<bool> DeleteFromSupabaseAsync(string filename, bool mustSucceed)
    {
        if (!supabase.IsConfigured)
        {
            return false;
        }

        try
        {
            return await supabase.DeleteAsync(new RecordingPath(SessionId, filename), CancellationToken.None);
        }
        catch (Exception exception) when (!mustSucceed)
        {
            logger.LogWarning("Could not check Supabase for {Filename} while deleting: {Reason}", filename, exception.Message);
            return false;
        }
        catch (Exception exception)
        {
            throw new RecordingUnavailableException($"Supabase is unavailable, {filename} was not deleted: {exception.Message}");
        }
    }

    // Files the old server (or a previous life of this silo) left under recordings/{session_id}/.
    private bool ReconcileLocal()
    {
        var changed = false;
        foreach (var file in localStore.List(SessionId))
        {
            changed |= Recordings.TryAdd(file.Filename, FromExistingFile(file.Filename, file.Size, file.LastWriteTime, StorageType.Local, silo.Name));
        }

        return changed;
    }

    private async Task<bool> ReconcileSupabaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            var objects = await supabase.ListAsync(SessionId, cancellationToken);
            foreach (var item in objects.Where(o => RecordingNames.IsValidFilename(o.Name)))
            {
                // A file in both stores is served from Supabase; re-sync removes the local copy.
                Recordings[item.Name] = Recordings.TryGetValue(item.Name, out var known) && known.Storage == StorageType.Supabase
                    ? known
                    : FromExistingFile(item.Name, item.Size, item.CreatedAt ?? DateTimeOffset.UtcNow, StorageType.Supabase, null);
            }

            state.State.SupabaseReconciled = true;
            // A session nobody has used (a probe of an unknown id) is not worth a stored record: it is listed again
            // next time it activates, which costs one empty listing.
            return state.RecordExists || Recordings.Count > 0;
        }
        catch (Exception exception)
        {
            logger.LogWarning("Could not list Supabase for session {SessionId}; will retry on next activation: {Reason}", SessionId, exception.Message);
            return false;
        }
    }

    private static RecordingRecord FromExistingFile(string filename, long size, DateTimeOffset fallbackTime, StorageType storage, string? localSilo)
    {
        var parsed = RecordingNames.TryParse(filename, out var type, out var time);
        return new RecordingRecord(filename, type, storage, size, parsed ? time : fallbackTime,
            RecordingNames.ContentTypeFor(filename), Sha256: null, localSilo);
    }
}
