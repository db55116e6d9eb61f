using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recordings.Abstractions;

namespace Recordings.Hosting.Drain;

/// <summary>
/// The first step of stopping, before the web server and Orleans stop: readiness already answers 503 (the host is
/// stopping); the host keeps serving for <see cref="DrainOptions.ReadinessDelay"/>, then, where it runs a silo, waits
/// for the uploads streaming into it to complete, then runs the silo's drain steps (a last re-sync pass). New upload
/// grains go to other silos meanwhile. After this the web
/// server lets running requests finish and Orleans leaves the cluster gracefully, all within the shutdown timeout.
/// </summary>
public sealed class GracefulDrainService(
    IServiceProvider services,
    IOptions<DrainOptions> options,
    IOptions<HostOptions> hostOptions,
    ILogger<GracefulDrainService> logger) : IHostedLifecycleService
{
    /// <summary>Kept back from the shutdown timeout for the web server and Orleans to stop after the uploads.</summary>
    public static readonly TimeSpan LeaveReserve = TimeSpan.FromSeconds(10);

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        var uploads = services.GetService<ActiveUploads>();
        logger.LogInformation("Draining: readiness answers 503; {Uploads} uploads running on this host's silo",
            uploads?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no");
        try
        {
            await Task.Delay(options.Value.ReadinessDelay, cancellationToken);
            if (uploads is null)
            {
                return;
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(hostOptions.Value.ShutdownTimeout - LeaveReserve - TimeProvider.System.GetElapsedTime(started));
            await uploads.WhenNoneAsync(deadline.Token);
            logger.LogInformation("Drained: no upload running on this silo after {Elapsed}", TimeProvider.System.GetElapsedTime(started));
            foreach (var step in services.GetServices<IDrainStep>())
            {
                await step.DrainAsync(deadline.Token);
            }
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Shutdown timeout: leaving with {Uploads} uploads still running on this silo", uploads?.Count ?? 0);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
