using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recordings.Abstractions;

namespace Recordings.Grains.Resumable;

/// <summary>
/// Each silo's clock for its resumable uploads: every sweep interval it asks each upload spooled on this disk whether
/// its time has come (abandoned or expired). The spool files are the list, so a restarted silo finds them all again
/// with no reminder store; the grains decide, from their persisted state. A spool file of an upload that now lives on
/// another silo (it was taken over while this one was away) or needs none is removed.
/// </summary>
public sealed class ResumableUploadSweeper(
    ResumableSpool spool,
    ILocalSiloDetails silo,
    IGrainFactory grains,
    IOptions<ResumableOptions> options,
    ILogger<ResumableUploadSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ResumableSweepInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var id in spool.ListIds())
            {
                try
                {
                    var sweptAt = DateTime.UtcNow;
                    var holder = await grains.GetGrain<IResumableUploadGrain>(id).Sweep();
                    if (holder != silo.Name)
                    {
                        RemoveIfOlder(spool.PathOf(id), sweptAt);
                    }
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("Sweeping resumable upload {UploadId} failed: {Reason}", id, exception.Message);
                }
            }
        }
    }

    // A file written since the question was asked belongs to an upload that moved here meanwhile: it stays.
    private void RemoveIfOlder(string path, DateTime askedAt)
    {
        if (File.Exists(path) && File.GetLastWriteTimeUtc(path) < askedAt)
        {
            logger.LogInformation("Removing the stale spool {Path}: its upload lives elsewhere now, or is done", path);
            File.Delete(path);
        }
    }
}
