using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recordings.Abstractions;
using Recordings.Grains.Sessions;
using Recordings.Grains.Storage;
using Recordings.Grains.Telemetry;
using Recordings.Supabase;

namespace Recordings.Grains.Uploads;

/// <summary>
/// Removes what a crash leaves: spool files, files under recordings/ on this silo and objects in the bucket that no
/// session lists and no upload in flight owns, once older than Recordings__OrphanMinAge. Each removal is counted
/// (recordings.orphans.removed). Runs only after this silo's adoption pass, so an older server's recordings are
/// recordings, not orphans.
/// </summary>
public sealed class OrphanSweeper(
    IGrainFactory grains,
    LocalRecordingStore localStore,
    SupabaseStorageClient supabase,
    LegacyRecordingsAdopter adopter,
    IOptions<RecordingsOptions> options,
    RecordingsMetrics metrics,
    ILogger<OrphanSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        try
        {
            await adopter.Completion.WaitAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await SweepAsync(DateTimeOffset.UtcNow - settings.OrphanMinAge, stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    logger.LogWarning("Orphan sweep stopped early, next in {Interval}: {Reason}", settings.OrphanSweepInterval, exception.Message);
                }

                await Task.Delay(settings.OrphanSweepInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One pass; removes what was last written (or created) before <paramref name="cutoff"/>. Returns how many.</summary>
    public async Task<int> SweepAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var spool in new DirectoryInfo(localStore.SpoolDirectory).EnumerateFiles("*.part"))
        {
            // No upload streams for that long: its grain is gone (silo crash) without discarding it.
            if (spool.LastWriteTimeUtc < cutoff.UtcDateTime)
            {
                spool.Delete();
                removed += Removed("spool", spool.Name);
            }
        }

        foreach (var (sessionId, file) in localStore.ListAll().Where(entry => entry.File.LastWriteTime < cutoff).ToList())
        {
            if (await IsOrphanAsync(sessionId, file.Filename, cutoff) && localStore.Delete(sessionId, file.Filename))
            {
                removed += Removed("local", $"{sessionId}/{file.Filename}");
            }
        }

        if (supabase.IsConfigured)
        {
            foreach (var sessionId in (await supabase.ListFoldersAsync(string.Empty, cancellationToken)).Where(RecordingNames.IsValidSessionId))
            {
                foreach (var item in await supabase.ListAsync(sessionId, cancellationToken))
                {
                    if (item.CreatedAt < cutoff && RecordingNames.IsValidFilename(item.Name) && await IsOrphanAsync(sessionId, item.Name, cutoff) &&
                        await supabase.DeleteAsync($"{sessionId}/{item.Name}", cancellationToken))
                    {
                        removed += Removed("supabase", $"{sessionId}/{item.Name}");
                    }
                }
            }
        }

        return removed;
    }

    // Listed by its session, or reserved by an upload that may still be streaming: not an orphan.
    private async Task<bool> IsOrphanAsync(string sessionId, string filename, DateTimeOffset cutoff)
    {
        var session = grains.GetGrain<ISessionGrain>(sessionId);
        if (await session.Get(filename) is not null)
        {
            return false;
        }

        return await session.ReservedSince(filename) is not { } since || since < cutoff;
    }

    private int Removed(string source, string what)
    {
        metrics.OrphanRemoved(source);
        logger.LogWarning("Removed {What} ({Source}): bytes of an upload that was never acknowledged", what, source);
        return 1;
    }
}
