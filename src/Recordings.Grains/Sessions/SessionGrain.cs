using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recordings.Abstractions;
using Recordings.Grains.SiloStore;
using Recordings.Grains.Storage;
using Recordings.Supabase;

namespace Recordings.Grains.Sessions;

/// <summary>
/// One session's recordings and reservations. Every change is copy-on-write: a new state is built, stored, and only
/// then made current, so interleaving reads never see a change that is not stored, and a failed write changes nothing.
/// Activation reads the stored state only: no store is searched on a request's path (older servers' recordings are
/// adopted at silo start by <see cref="LegacyRecordingsAdopter"/>).
/// Names handed to uploads in flight are reserved in memory only, so an upload costs one state write (its commit). If
/// the session moves to another silo mid-upload and hands a name out twice (same second), the stores and the commit
/// refuse the second copy (Supabase answers 409 without upsert, a local promote never overwrites, Commit refuses a
/// different record): that upload answers 503 and is sent again; no acknowledged byte is at risk.
/// </summary>
// A recorder's session is busy for minutes, then read now and then: an idle one leaves memory after about two minutes
// (Orleans' default is 15), so a silo holds the sessions of the last few minutes, not of the last quarter hour
// (at 100 new sessions a second, ~20,000 instead of ~90,000 activations). Coming back costs one state read.
[CollectionAgeLimit(Minutes = 2)]
public sealed class SessionGrain(
    [PersistentState("session", GrainStorage.Name)] IPersistentState<SessionState> state,
    SupabaseStorageClient supabase,
    LocalRecordingStore localStore,
    IOptions<RecordingsOptions> options,
    ILogger<SessionGrain> logger) : Grain, ISessionGrain
{
    // An upload that never completed or aborted (its API host died) leaves a reservation behind; it expires.
    private static readonly TimeSpan ReservationLifetime = TimeSpan.FromDays(1);

    private readonly Dictionary<string, DateTimeOffset> reservations = new(StringComparer.Ordinal);
    private long lastNamedSecond;
    private int lastAttempt;

    // What is stored; the only state reads and decisions look at.
    private SessionState current = new();

    private string SessionId => this.GetPrimaryKeyString();

    private IReadOnlyDictionary<string, RecordingRecord> Recordings => current.Recordings;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        current = state.State;
        return Task.CompletedTask;
    }

    public Task<UploadTicket> BeginUpload(string recordingType, string extension, string contentType)
    {
        var now = DateTimeOffset.UtcNow;
        var second = now.ToUnixTimeSeconds();
        // Within one second the suffix only grows, so a name freed by a delete is never handed out again.
        var attempt = second == lastNamedSecond ? lastAttempt + 1 : 1;
        string filename;
        while (true)
        {
            filename = RecordingNames.Create(recordingType, SessionId, now, extension, attempt);
            if (!Recordings.ContainsKey(filename) && !reservations.ContainsKey(filename))
            {
                break;
            }

            attempt++;
        }

        (lastNamedSecond, lastAttempt) = (second, attempt);
        foreach (var stale in reservations.Where(r => now - r.Value > ReservationLifetime).Select(r => r.Key).ToList())
        {
            reservations.Remove(stale);
        }

        reservations[filename] = now;
        // Idle collection must not forget a reservation while its upload streams (an hour-long recording included).
        DelayDeactivation(ReservationLifetime);
        return Task.FromResult(new UploadTicket(SessionId, filename, recordingType, contentType, now));
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

        await StoreAsync(current.With(next => next.Recordings.Add(record.Filename, record)));
        Unreserve(record.Filename);
    }

    public static RecordingUnavailableException NameCollision(string filename) =>
        new($"The name {filename} was handed out twice during a cluster change; send the upload again.");

    public Task Release(string filename)
    {
        Unreserve(filename);
        return Task.CompletedTask;
    }

    private void Unreserve(string filename)
    {
        if (reservations.Remove(filename) && reservations.Count == 0)
        {
            // Nothing in flight: back to the normal idle collection.
            DelayDeactivation(TimeSpan.FromSeconds(-1));
        }
    }

    public async Task Withdraw(string filename)
    {
        if (Recordings.ContainsKey(filename))
        {
            logger.LogWarning("Withdrawing {Filename} of session {SessionId}: its upload was committed but not acknowledged", filename, SessionId);
            await Delete(filename);
        }
        else
        {
            await Release(filename);
        }
    }

    public async Task<DeleteOutcome> Delete(string filename)
    {
        Recordings.TryGetValue(filename, out var record);
        if (record is null && reservations.ContainsKey(filename))
        {
            // An upload is still streaming under this name: its bytes are not a recording yet and are not ours to touch.
            return new DeleteOutcome(false, false);
        }

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
            await StoreAsync(current.With(next => next.Recordings.Remove(filename)));
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

        await StoreAsync(current.With(next => next.Recordings[filename] = record with { Storage = StorageType.Supabase, LocalSilo = null }));
        return ResyncDecision.Switched;
    }

    public async Task SetResyncError(string filename, string fromSilo, string error)
    {
        if (Recordings.TryGetValue(filename, out var record) && record.LocalSilo == fromSilo && record.ResyncError != error)
        {
            await StoreAsync(current.With(next => next.Recordings[filename] = record with { ResyncError = error }));
        }
    }

    public async Task RegisterImported(RecordingRecord record)
    {
        if (Recordings.TryGetValue(record.Filename, out var known) && known.Storage == StorageType.Supabase)
        {
            return;
        }

        // A local record of the same file (adopted from disk) now points at Supabase; re-sync drops that copy.
        await StoreAsync(current.With(next => next.Recordings[record.Filename] = record with { Storage = StorageType.Supabase, LocalSilo = null }));
    }

    public async Task Adopt(IReadOnlyList<RecordingRecord> found)
    {
        var adopted = found
            .Where(record => !reservations.ContainsKey(record.Filename))
            .Where(record => !Recordings.TryGetValue(record.Filename, out var known) ||
                             (record.Storage == StorageType.Supabase && known.Storage != StorageType.Supabase && known.Sha256 is null))
            .ToList();
        if (adopted.Count == 0)
        {
            return;
        }

        // A file in both stores is served from Supabase; re-sync removes the local copy.
        await StoreAsync(current.With(next =>
        {
            foreach (var record in adopted)
            {
                next.Recordings[record.Filename] = record;
            }
        }));
    }

    public Task<RecordingRecord?> GetLatest() => Task.FromResult(NewestFirst().FirstOrDefault());

    public Task<RecordingRecord?> Get(string filename) =>
        Task.FromResult(Recordings.GetValueOrDefault(filename));

    public Task<DateTimeOffset?> ReservedSince(string filename) =>
        Task.FromResult(reservations.TryGetValue(filename, out var since) ? since : (DateTimeOffset?)null);

    public Task<IReadOnlyList<RecordingRecord>> List() => Task.FromResult<IReadOnlyList<RecordingRecord>>(NewestFirst().ToList());

    // Same-time uploads (same second, or equal parsed times) order by name, so every read agrees on "newest".
    private IOrderedEnumerable<RecordingRecord> NewestFirst() =>
        Recordings.Values.OrderByDescending(r => r.UploadTime).ThenByDescending(r => r.Filename, StringComparer.Ordinal);

    // Stores next and only then makes it current; on a failed write memory stays as it was (and agrees with storage).
    private async Task StoreAsync(SessionState next)
    {
        var previous = current;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous;
            throw;
        }

        current = next;
    }

    private async Task<bool> DeleteFromSupabaseAsync(string filename, bool mustSucceed)
    {
        if (!supabase.IsConfigured)
        {
            return false;
        }

        // A delete holds this session (its next upload waits behind it): Supabase gets the upload's stall budget, no more.
        var stallTimeout = options.Value.SupabaseStallTimeout;
        using var budget = new CancellationTokenSource(stallTimeout);
        try
        {
            return await supabase.DeleteAsync(new RecordingPath(SessionId, filename), budget.Token);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && mustSucceed)
        {
            throw new RecordingUnavailableException(
                $"Supabase did not answer within {stallTimeout.TotalSeconds:0.#} s, {filename} was not deleted; try again shortly");
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
}
