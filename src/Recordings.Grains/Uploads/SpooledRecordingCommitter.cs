using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recordings.Abstractions;
using Recordings.Grains.Sessions;
using Recordings.Grains.Storage;
using Recordings.Supabase;
using Recordings.Grains.Telemetry;

namespace Recordings.Grains.Uploads;

/// <summary>
/// The end of every upload, multipart or resumable: a finished spool file (fsynced, closed) becomes a recording in
/// Supabase, or on this silo's disk when Supabase does not take it, and only then is committed to its session.
/// </summary>
public sealed class SpooledRecordingCommitter(
    LocalRecordingStore localStore,
    SupabaseStorageClient supabase,
    IOptions<RecordingsOptions> options,
    ILocalSiloDetails silo,
    RecordingsMetrics metrics,
    IGrainFactory grains,
    ILogger<SpooledRecordingCommitter> logger)
{
    /// <param name="supabaseAnswer">How an upload already sent to Supabase ended (null: stored; else why not), or null to upload from the spool now.</param>
    /// <param name="complete">False for a progressive upload whose recorder went silent: kept as it is, flagged.</param>
    /// <param name="cancellationToken">Cancelled when the caller gave up (budget spent, client gone): then nothing is committed.</param>
    public async Task<UploadOutcome> StoreAsync(
        UploadTicket ticket, string spoolPath, long size, string sha256, Task<UploadFailure?>? supabaseAnswer, bool complete = true,
        CancellationToken cancellationToken = default)
    {
        var reason = supabaseAnswer is null ? await StoreInSupabaseAsync(ticket, spoolPath) : await supabaseAnswer;
        var record = new RecordingRecord(ticket.Filename, ticket.RecordingType,
            reason is null ? StorageType.Supabase : StorageType.Local, size, ticket.StartedAt, ticket.ContentType,
            sha256, reason is null ? null : silo.Name, Incomplete: !complete);

        if (reason is null)
        {
            LocalRecordingStore.DeleteSpool(spoolPath);
        }
        else
        {
            // Without credentials the start-up warning has said it once; repeating it per upload is noise.
            var level = supabase.IsConfigured ? LogLevel.Warning : LogLevel.Debug;
            logger.Log(level, "Failed to upload recording to Supabase: {Reason}; keeping {ObjectPath} locally", reason.Message, ticket.ObjectPath);
            metrics.FallbackOccurred(reason.Kind);
            if (localStore.Stat(ticket.SessionId, ticket.Filename) is not null)
            {
                LocalRecordingStore.DeleteSpool(spoolPath);
                throw SessionGrain.NameCollision(ticket.Filename);
            }

            await localStore.PromoteSpoolAsync(spoolPath, ticket.SessionId, ticket.Filename);
        }

        await CommitAsync(record, ticket, cancellationToken);
        return new UploadOutcome(record, reason?.Message);
    }

    /// <summary>
    /// Commits a recording whose bytes already are the object at the ticket's name (a resumable upload relayed to
    /// Supabase's own, a small upload sent whole); when the commit fails, or the caller gave up, the object is removed,
    /// as after any failed commit.
    /// </summary>
    public async Task<UploadOutcome> CommitSupabaseObjectAsync(
        UploadTicket ticket, long size, string sha256, bool complete = true, CancellationToken cancellationToken = default)
    {
        var record = new RecordingRecord(ticket.Filename, ticket.RecordingType, StorageType.Supabase, size, ticket.StartedAt,
            ticket.ContentType, sha256, LocalSilo: null, Incomplete: !complete);
        await CommitAsync(record, ticket, cancellationToken);
        return new UploadOutcome(record, null);
    }

    private async Task CommitAsync(RecordingRecord record, UploadTicket ticket, CancellationToken cancellationToken)
    {
        try
        {
            // The caller gave up (its budget ran out, or the client left): it answers an error, so commit nothing.
            cancellationToken.ThrowIfCancellationRequested();
            await grains.GetGrain<ISessionGrain>(ticket.SessionId).Commit(record);
        }
        catch (Exception exception)
        {
            // Not committed (or not known to be): the bytes of an upload that is not acknowledged must not outlive it.
            // A commit that did get through is taken back by the API's abort (Withdraw).
            await RemoveStoredCopyAsync(record, ticket, exception);
            throw;
        }
    }

    private async Task RemoveStoredCopyAsync(RecordingRecord record, UploadTicket ticket, Exception cause)
    {
        try
        {
            if (record.Storage == StorageType.Supabase)
            {
                await supabase.DeleteAsync(ticket.ObjectPath, CancellationToken.None);
            }
            else
            {
                localStore.Delete(ticket.SessionId, ticket.Filename);
            }

            metrics.OrphanRemoved("failed_commit");
        }
        catch (Exception exception)
        {
            // The sweep finds it later; the commit's failure is what the caller needs to hear about.
            logger.LogWarning("Could not remove {ObjectPath} after its commit failed ({Cause}): {Reason}", ticket.ObjectPath, cause.Message, exception.Message);
        }
    }

    // The bytes were not sent as they arrived (name known late, or a resumable upload): send the spool now. The client
    // is waiting: Supabase gets the stall timeout for the whole file, then re-sync moves it later.
    private async Task<UploadFailure?> StoreInSupabaseAsync(UploadTicket ticket, string spoolPath) =>
        supabase.IsConfigured
            ? await SupabaseUploadFeed.SendFileAsync(supabase, ticket.ObjectPath, ticket.ContentType, spoolPath, options.Value.SupabaseStallTimeout)
            : UploadFailure.Unconfigured;
}
