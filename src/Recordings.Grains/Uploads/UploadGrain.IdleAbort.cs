using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Recordings.Abstractions;

namespace Recordings.Grains.Uploads;

/// <summary>
/// An upload whose API host died hears nothing more, yet counts as running (a draining silo would wait the whole
/// shutdown timeout for it) and holds its spool. Heard nothing for the upload's call budget (stall timeout + commit
/// margin, the longest the API itself waits on one call), it aborts itself as the failure path does.
/// </summary>
public sealed partial class UploadGrain : IIncomingGrainCallFilter
{
    private UploadTicket? openedWith;
    private long lastHeard = Stopwatch.GetTimestamp();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var check = options.Value.UploadCallBudget / 4;
        this.RegisterGrainTimer(AbortIfSilentAsync, new GrainTimerCreationOptions(check, check) { KeepAlive = false });
        return Task.CompletedTask;
    }

    // Timer ticks never run during a call (the grain is not reentrant), so a slow call is never taken for silence.
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType != typeof(IUploadGrain))
        {
            await context.Invoke();
            return;
        }

        lastHeard = Stopwatch.GetTimestamp();
        try
        {
            await context.Invoke();
        }
        finally
        {
            lastHeard = Stopwatch.GetTimestamp();
        }
    }

    private async Task AbortIfSilentAsync(CancellationToken cancellationToken)
    {
        var budget = options.Value.UploadCallBudget;
        if (spool is null || finished || Stopwatch.GetElapsedTime(lastHeard) < budget)
        {
            return;
        }

        logger.LogWarning("Upload {UploadId} heard nothing for {Budget}: its API host is gone; removing what it received",
            this.GetPrimaryKey(), budget);
        await Abort(openedWith);
    }
}
