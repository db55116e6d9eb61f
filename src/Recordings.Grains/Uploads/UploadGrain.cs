using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recordings.Abstractions;
using Recordings.Grains.Placement;
using Recordings.Grains.Sessions;
using Recordings.Grains.Storage;
using Recordings.Supabase;
using Recordings.Grains.Telemetry;

namespace Recordings.Grains.Uploads;

[LocalUnlessDrainingPlacement]
public sealed class UploadGrain(
    LocalRecordingStore localStore,
    ActiveUploads activeUploads,
    SupabaseStorageClient supabase,
    IOptions<RecordingsOptions> options,
    ILocalSiloDetails silo,
    RecordingsMetrics metrics,
    ILogger<UploadGrain> logger) : Grain, IUploadGrain
{
    private readonly IncrementalHash sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private FileStream? spool;
    private SupabaseUploadFeed? feed;
    private long size;
    private bool finished;
    private long startedAt;
    private bool measured;

    private string SpoolPath => localStore.SpoolPathFor(this.GetPrimaryKey());

    public Task Open(UploadTicket? ticket)
    {
        if (spool is not null)
        {
            throw new InvalidOperationException("Upload already opened.");
        }

        spool = localStore.CreateSpool(this.GetPrimaryKey());
        StartMeasuring();
        if (ticket is not null && supabase.IsConfigured)
        {
            feed = new SupabaseUploadFeed(supabase, ticket.ObjectPath, ticket.ContentType, options.Value.SupabaseStallTimeout);
        }

        return Task.CompletedTask;
    }

    public async Task Write(byte[] buffer, int count, CancellationToken cancellationToken)
    {
        var data = buffer.AsMemory(0, count);
        var file = spool ?? throw UploadLost();
        sha256.AppendData(data.Span);
        size += count;

        // Disk and Supabase take the chunk side by side; the call returns once both have it. The feed bounds its own
        // wait by the stall timeout; the token only stops the disk write once the API has given up on the upload.
        var toDisk = file.WriteAsync(data, cancellationToken);
        if (feed is not null)
        {
            await feed.WriteAsync(data);
        }

        await toDisk;
    }

    public async Task<UploadOutcome> Complete(UploadTicket ticket, CancellationToken cancellationToken)
    {
        var file = spool ?? throw UploadLost();
        try
        {
            var outcome = await StoreAsync(ticket, file, cancellationToken);
            finished = true;
            StopMeasuring(outcome.Record.Storage);
            return outcome;
        }
        catch
        {
            // Whatever failed (flush, Supabase, promote, commit, cancellation): no stream, feed or spool outlives it.
            finished = true;
            StopMeasuring(storedIn: null);
            await DiscardAsync();
            throw;
        }
    }

    private async Task<UploadOutcome> StoreAsync(UploadTicket ticket, FileStream file, CancellationToken cancellationToken)
    {
        // The bytes must be on disk before anyone is told they are safe.
        await file.FlushAsync(cancellationToken);
        file.Flush(flushToDisk: true);
        await file.DisposeAsync();

        var reason = await StoreInSupabaseAsync(ticket);
        var record = new RecordingRecord(ticket.Filename, ticket.RecordingType,
            reason is null ? StorageType.Supabase : StorageType.Local, size, ticket.StartedAt, ticket.ContentType,
            Convert.ToHexStringLower(sha256.GetHashAndReset()), reason is null ? null : silo.Name);

        if (reason is null)
        {
            LocalRecordingStore.DeleteSpool(SpoolPath);
        }
        else
        {
            // Without credentials the start-up warning has said it once; repeating it per upload is noise.
            var level = supabase.IsConfigured ? LogLevel.Warning : LogLevel.Debug;
            logger.Log(level, "Failed to upload recording to Supabase: {Reason}; keeping {ObjectPath} locally", reason.Message, ticket.ObjectPath);
            metrics.FallbackOccurred(reason.Kind);
            if (localStore.Stat(ticket.SessionId, ticket.Filename) is not null)
            {
                LocalRecordingStore.DeleteSpool(SpoolPath);
                throw SessionGrain.NameCollision(ticket.Filename);
            }

            localStore.PromoteSpool(SpoolPath, ticket.SessionId, ticket.Filename);
        }

        try
        {
            // The API gave up (its budget ran out, or the client left): it will answer an error, so commit nothing.
            cancellationToken.ThrowIfCancellationRequested();
            await GrainFactory.GetGrain<ISessionGrain>(ticket.SessionId).Commit(record);
        }
        catch (Exception exception)
        {
            // Not committed (or not known to be): the bytes of an upload that is not acknowledged must not outlive it.
            // A commit that did get through is taken back by the API's abort (Withdraw).
            await RemoveStoredCopyAsync(record, ticket, exception);
            throw;
        }

        DeactivateOnIdle();
        return new UploadOutcome(record, reason?.Message);
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

    // A fresh activation with no spool: the silo that held this upload stopped mid-way. The bytes sent so far are
    // gone with it and nothing was acknowledged, so the client may simply send the upload again.
    private static RecordingUnavailableException UploadLost() =>
        new("The silo receiving this upload left the cluster before it finished; send the upload again.");

    public async Task Abort(UploadTicket? ticket)
    {
        finished = true;
        StopMeasuring(storedIn: null);
        await DiscardAsync();
        if (ticket is not null)
        {
            // Frees the name, or takes back a commit that got through after the API stopped waiting for it.
            await GrainFactory.GetGrain<ISessionGrain>(ticket.SessionId).Withdraw(ticket.Filename);
        }

        DeactivateOnIdle();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // An upload abandoned without Complete or Abort (caller crashed) must not leave a spool file behind.
        if (!finished)
        {
            StopMeasuring(storedIn: null);
            await DiscardAsync();
        }
    }

    private async Task<UploadFailure?> StoreInSupabaseAsync(UploadTicket ticket)
    {
        if (!supabase.IsConfigured)
        {
            return UploadFailure.Unconfigured;
        }

        if (feed is not null)
        {
            return await feed.CompleteAsync();
        }

        // The name arrived after the file (recording_type sent after the file part): upload from the spool now.
        await using var spooled = new FileStream(SpoolPath, FileMode.Open, FileAccess.Read, FileShare.Read, 0, useAsync: true);
        var fromSpool = new SupabaseUploadFeed(supabase, ticket.ObjectPath, ticket.ContentType, options.Value.SupabaseStallTimeout);
        var buffer = new byte[options.Value.ChunkBytes];
        var budget = options.Value.SupabaseStallTimeout;
        var started = Stopwatch.GetTimestamp();
        int read;
        while (fromSpool.FailureReason is null && (read = await spooled.ReadAsync(buffer)) > 0)
        {
            // The client is waiting: Supabase gets the stall timeout for the whole file, then re-sync moves it later.
            if (Stopwatch.GetElapsedTime(started) > budget)
            {
                await fromSpool.AbortAsync();
                return new UploadFailure(UploadFailureKind.Stalled, $"Supabase did not take the file within {budget.TotalSeconds:0.#} s");
            }

            await fromSpool.WriteAsync(buffer.AsMemory(0, read));
        }

        return await fromSpool.CompleteAsync();
    }

    private void StartMeasuring()
    {
        startedAt = Stopwatch.GetTimestamp();
        measured = true;
        metrics.UploadStarted();
        activeUploads.Started();
    }

    // Once per opened upload, whichever way it ends: stored (null is a failure), aborted or abandoned.
    private void StopMeasuring(StorageType? storedIn)
    {
        if (!measured)
        {
            return;
        }

        measured = false;
        metrics.UploadEnded();
        activeUploads.Ended();
        var duration = Stopwatch.GetElapsedTime(startedAt);
        if (storedIn is { } storage)
        {
            metrics.UploadStored(storage, size, duration);
        }
        else
        {
            metrics.UploadFailed(duration);
        }
    }

    private async Task DiscardAsync()
    {
        if (feed is not null)
        {
            await feed.AbortAsync();
        }

        if (spool is not null)
        {
            await spool.DisposeAsync();
        }

        try
        {
            LocalRecordingStore.DeleteSpool(SpoolPath);
        }
        catch (IOException exception)
        {
            logger.LogWarning("Could not remove the spool of upload {UploadId}: {Reason}", this.GetPrimaryKey(), exception.Message);
        }
    }
}
