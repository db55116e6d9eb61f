using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recordings.Abstractions;
using Recordings.Grains.Placement;
using Recordings.Grains.Storage;
using Recordings.Supabase;
using Recordings.Grains.Telemetry;

namespace Recordings.Grains.Uploads;

[LocalUnlessDrainingPlacement]
public sealed partial class UploadGrain(
    LocalRecordingStore localStore,
    ActiveUploads activeUploads,
    SupabaseStorageClient supabase,
    IOptions<RecordingsOptions> options,
    SpooledRecordingCommitter committer,
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
        openedWith = ticket;
        StartMeasuring();
        if (ticket is not null && supabase.IsConfigured)
        {
            feed = new SupabaseUploadFeed(supabase, ticket.ObjectPath, ticket.ContentType, options.Value.SupabaseStallTimeout,
                options.Value.SupabaseWindowBytes);
        }

        return Task.CompletedTask;
    }

    public async Task Write(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var file = spool ?? throw UploadLost();
        sha256.AppendData(data.Span);
        size += data.Length;

        // Disk and Supabase take the chunk side by side; the call returns once both have it. The feed bounds its own
        // wait by the stall timeout; the token only stops the disk write once the API has given up on the upload.
        var toDisk = file.WriteAsync(data, cancellationToken);
        if (feed is not null)
        {
            await feed.WriteAsync(data);
        }

        await toDisk;
    }

    public Task<UploadOutcome> Complete(UploadTicket ticket, CancellationToken cancellationToken)
    {
        var file = spool ?? throw UploadLost();
        return FinishAsync(async () =>
        {
            // Not fsynced here: the committer flushes the spool only if it becomes a local recording.
            await file.DisposeAsync();
            return await committer.StoreAsync(ticket, SpoolPath, size, Convert.ToHexStringLower(sha256.GetHashAndReset()), feed?.CompleteAsync(),
                cancellationToken: cancellationToken);
        });
    }

    public Task<UploadOutcome> StoreWhole(UploadTicket ticket, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (measured || finished)
        {
            throw new InvalidOperationException("Upload already opened.");
        }

        StartMeasuring();
        size = data.Length;
        return FinishAsync(async () =>
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(data.Span));
            var failure = supabase.IsConfigured
                ? await SupabaseUploadFeed.SendWholeAsync(supabase, ticket.ObjectPath, ticket.ContentType, data, options.Value.SupabaseStallTimeout)
                : UploadFailure.Unconfigured;
            if (failure is null)
            {
                // Stored in Supabase: the bytes never touch this silo's disk.
                return await committer.CommitSupabaseObjectAsync(ticket, size, hash, cancellationToken: cancellationToken);
            }

            // Kept here instead: the committer flushes the spool to disk before anyone is told it is safe.
            await using (var file = localStore.CreateSpool(this.GetPrimaryKey()))
            {
                await file.WriteAsync(data, cancellationToken);
            }

            return await committer.StoreAsync(ticket, SpoolPath, size, hash, Task.FromResult<UploadFailure?>(failure), cancellationToken: cancellationToken);
        });
    }

    // Ends the upload either way: measured once, and on any failure (flush, Supabase, promote, commit, cancellation)
    // no stream, feed or spool outlives it.
    private async Task<UploadOutcome> FinishAsync(Func<Task<UploadOutcome>> store)
    {
        try
        {
            var outcome = await store();
            finished = true;
            StopMeasuring(outcome.Record.Storage);
            DeactivateOnIdle();
            return outcome;
        }
        catch
        {
            finished = true;
            StopMeasuring(storedIn: null);
            await DiscardAsync();
            throw;
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
