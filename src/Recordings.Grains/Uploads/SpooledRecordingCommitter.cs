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
    /// <param name="feed">A streamed Supabase upload already fed with every byte, or null to upload from the spool now.</param>
    /// <param name="complete">False for a progressive upload whose recorder went silent: kept as it is, flagged.</param>
    public async Task<UploadOutcome> StoreAsync(
        UploadTicket ticket, string spoolPath, long size, string sha256, SupabaseUploadFeed? feed, bool complete = true)
    {
        var reason = await StoreInSupabaseAsync(ticket, spoolPath, feed);
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

            localStore.PromoteSpool(spoolPath, ticket.SessionId, ticket.Filename);
        }

        try
        {
            await grains.GetGrain<ISessionGrain>(ticket.SessionId).Commit(record);
        }
        catch (RecordingUnavailableException)
        {
            // The name was taken by another upload meanwhile: take back what this one stored, keep theirs.
            await RemoveStoredCopyAsync(record, ticket);
            throw;
        }

        return new UploadOutcome(record, reason?.Message);
    }

    private async Task RemoveStoredCopyAsync(RecordingRecord record, UploadTicket ticket)
    {
        if (record.Storage == StorageType.Supabase)
        {
            await supabase.DeleteAsync(ticket.ObjectPath, CancellationToken.None);
        }
        else
        {
            localStore.Delete(ticket.SessionId, ticket.Filename);
        }
    }

    private async Task<UploadFailure?> StoreInSupabaseAsync(UploadTicket ticket, string spoolPath, SupabaseUploadFeed? feed)
    {
        if (!supabase.IsConfigured)
        {
            return UploadFailure.Unconfigured;
        }

        if (feed is not null)
        {
            return await feed.CompleteAsync();
        }

        // The bytes were not streamed as they arrived (name known late, or a resumable upload): send the spool now.
        await using var spooled = new FileStream(spoolPath, FileMode.Open, FileAccess.Read, FileShare.Read, 0, useAsync: true);
        var fromSpool = new SupabaseUploadFeed(supabase, ticket.ObjectPath, ticket.ContentType, options.Value.SupabaseStallTimeout);
        var buffer = new byte[options.Value.ChunkBytes];
        int read;
        while (fromSpool.FailureReason is null && (read = await spooled.ReadAsync(buffer)) > 0)
        {
            await fromSpool.WriteAsync(buffer.AsMemory(0, read));
        }

        return await fromSpool.CompleteAsync();
    }
}
