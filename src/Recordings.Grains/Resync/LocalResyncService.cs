using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recordings.Abstractions;
using Recordings.Grains.Sessions;
using Recordings.Grains.Storage;
using Recordings.Grains.Telemetry;
using Recordings.Supabase;

namespace Recordings.Grains.Resync;

/// <summary>
/// Runs on every silo: once Supabase answers again, uploads this silo's local recordings, verifies each object
/// (size, and MD5 where the server gives an ETag), switches the record through the session grain, and only then
/// deletes the local copy. Probes back off while Supabase keeps failing.
/// </summary>
public sealed class LocalResyncService(
    IGrainFactory grains,
    LocalRecordingStore localStore,
    SupabaseStorageClient supabase,
    ILocalSiloDetails silo,
    IOptions<ResyncOptions> options,
    RecordingsMetrics metrics,
    ILogger<LocalResyncService> logger) : BackgroundService, IDrainStep
{
    // One pass at a time: the drain's last pass waits for a running one rather than racing it over the same files.
    private readonly SemaphoreSlim passGate = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled || !supabase.IsConfigured)
        {
            return;
        }

        var pass = SupabaseBackOff.For(settings, logger, "Re-sync");
        try
        {
            while (true)
            {
                await Task.Delay(settings.Interval, stoppingToken);
                await pass.ExecuteAsync(SyncAllAsync, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The silo is stopping.
        }
    }

    /// <summary>One pass over this silo's local recordings; throws when Supabase fails, so the caller backs off.</summary>
    public async ValueTask SyncAllAsync(CancellationToken cancellationToken)
    {
        await passGate.WaitAsync(cancellationToken);
        try
        {
            await SyncBacklogAsync(cancellationToken);
        }
        finally
        {
            passGate.Release();
        }
    }

    /// <summary>
    /// A draining silo hands its local recordings to Supabase in one last pass, if Supabase answers, until the drain's
    /// time runs out. Each file is moved whole or not at all: what is left stays on this silo's disk, listed as local.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled || !supabase.IsConfigured || !localStore.ListAll().Any())
        {
            return;
        }

        try
        {
            await SyncAllAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Drain: the last re-sync pass stopped ({Reason})", exception.Message);
        }

        var left = localStore.ListAll().Count();
        logger.Log(left == 0 ? LogLevel.Information : LogLevel.Warning,
            "Drain: {Left} local recordings stay on silo {Silo}'s disk until it starts again (or are imported from its volume)", left, silo.Name);
    }

    private async Task SyncBacklogAsync(CancellationToken cancellationToken)
    {
        var backlog = localStore.ListAll().ToList();
        if (backlog.Count == 0)
        {
            return;
        }

        // One cheap call first: while Supabase is down (or the breaker open) this is the only request a pass makes.
        await supabase.GetBucketAsync(cancellationToken);
        logger.LogInformation("Re-sync: {Count} local recordings on silo {Silo} to move to Supabase", backlog.Count, silo.Name);
        foreach (var (sessionId, file) in backlog)
        {
            try
            {
                await SyncOneAsync(sessionId, file, cancellationToken);
            }
            catch (SupabaseStorageException refused) when (!refused.IsTransient)
            {
                // Refused for good (too large, type not allowed): set it aside, say so once, and go on with the others.
                await SetAsideAsync(sessionId, file.Filename, refused.Message);
            }
        }
    }

    private async Task SyncOneAsync(string sessionId, LocalFileInfo file, CancellationToken cancellationToken)
    {
        var session = grains.GetGrain<ISessionGrain>(sessionId);
        var record = await session.Get(file.Filename);
        string objectPath = new RecordingPath(sessionId, file.Filename);
        if (record is null || (record.Storage == StorageType.Local && (record.LocalSilo != silo.Name || record.ResyncError is not null)))
        {
            // Not ours to move: unknown to its session (import it), held for another silo, or set aside.
            logger.LogDebug("Re-sync skips {ObjectPath}: not recorded as local on this silo", objectPath);
            return;
        }

        // A record already in Supabase with a local file left over goes the same way: the copy finds the object there.
        SupabaseFileCopy.Result copy;
        await using (var content = localStore.OpenRead(sessionId, file.Filename))
        {
            copy = await SupabaseFileCopy.CopyAndVerifyAsync(supabase, objectPath, content, record.ContentType, cancellationToken);
        }

        if (!copy.Verified)
        {
            logger.LogWarning("Re-sync could not verify {ObjectPath} in Supabase (size {Size} vs {Expected}); the local copy stays",
                objectPath, copy.StoredSize, copy.LocalSize);
            metrics.ResyncCompleted(ResyncOutcomes.Unverified);
            return;
        }

        var decision = await session.SwitchToSupabase(file.Filename, silo.Name);
        metrics.ResyncCompleted(ResyncOutcomes.Of(decision));
        switch (decision)
        {
            case ResyncDecision.Switched or ResyncDecision.AlreadyInSupabase:
                localStore.Delete(sessionId, file.Filename);
                logger.LogInformation("Re-synced {ObjectPath} to Supabase ({Size} bytes)", objectPath, file.Size);
                break;
            case ResyncDecision.Deleted:
                // Deleted while we copied it: take the copy back out rather than resurrect it.
                await supabase.DeleteAsync(objectPath, cancellationToken);
                localStore.Delete(sessionId, file.Filename);
                break;
        }
    }

    private async Task SetAsideAsync(string sessionId, string filename, string reason)
    {
        logger.LogWarning("Re-sync sets {ObjectPath} aside: Supabase refuses it ({Reason}); it stays on silo {Silo}",
            new RecordingPath(sessionId, filename), reason, silo.Name);
        metrics.ResyncCompleted(ResyncOutcomes.Refused);
        await grains.GetGrain<ISessionGrain>(sessionId).SetResyncError(filename, silo.Name, reason);
    }
}
