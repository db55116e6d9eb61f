using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using Recordings.Abstractions;
using Recordings.Grains.Storage;
using Recordings.Supabase;
using Recordings.Grains.Telemetry;

namespace Recordings.Grains.Uploads;

[PreferLocalPlacement]
public sealed class UploadGrain(
    LocalRecordingStore localStore,
    SupabaseStorageClient supabase,
    IOptions<RecordingsOptions> options,
    SpooledRecordingCommitter committer,
    RecordingsMetrics metrics) : Grain, IUploadGrain
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

    public async Task Write(byte[] buffer, int count)
    {
        var data = buffer.AsMemory(0, count);
        var file = spool ?? throw UploadLost();
        sha256.AppendData(data.Span);
        size += count;

        // Disk and Supabase take the chunk side by side; the call returns once both have it.
        var toDisk = file.WriteAsync(data);
        if (feed is not null)
        {
            await feed.WriteAsync(data);
        }

        await toDisk;
    }

    public async Task<UploadOutcome> Complete(UploadTicket ticket)
    {
        var file = spool ?? throw UploadLost();
        finished = true;
        try
        {
            var outcome = await StoreAsync(ticket, file);
            StopMeasuring(outcome.Record.Storage);
            return outcome;
        }
        catch
        {
            StopMeasuring(storedIn: null);
            // Nothing was acknowledged: the spooled bytes must not outlive the failure.
            LocalRecordingStore.DeleteSpool(SpoolPath);
            throw;
        }
    }

    private async Task<UploadOutcome> StoreAsync(UploadTicket ticket, FileStream file)
    {
        // The bytes must be on disk before anyone is told they are safe.
        await file.FlushAsync();
        file.Flush(flushToDisk: true);
        await file.DisposeAsync();

        var outcome = await committer.StoreAsync(ticket, SpoolPath, size, Convert.ToHexStringLower(sha256.GetHashAndReset()), feed);
        DeactivateOnIdle();
        return outcome;
    }

    // A fresh activation with no spool: the silo that held this upload stopped mid-way. The bytes sent so far are
    // gone with it and nothing was acknowledged, so the client may simply send the upload again.
    private static RecordingUnavailableException UploadLost() =>
        new("The silo receiving this upload left the cluster before it finished; send the upload again.");

    public async Task Abort()
    {
        finished = true;
        StopMeasuring(storedIn: null);
        await DiscardAsync();
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

        LocalRecordingStore.DeleteSpool(SpoolPath);
    }
}
