using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recordings.Abstractions;

namespace Recordings.Grains.Resumable;

/// <summary>
/// Each silo's clock for its resumable uploads: every sweep interval it asks each upload spooled on this disk whether
/// its time has come (abandoned or expired). The spool files are the list, so a restarted silo finds them all again
/// with no reminder store; the grains decide, from their persisted state.
/// </summary>
public sealed class ResumableUploadSweeper(
    ResumableSpool spool,
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
                    await grains.GetGrain<IResumableUploadGrain>(id).Sweep();
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("Sweeping resumable upload {UploadId} failed: {Reason}", id, exception.Message);
                }
            }
        }
    }
}
