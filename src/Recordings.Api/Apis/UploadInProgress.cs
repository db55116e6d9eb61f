using System.Buffers;
using Recordings.Abstractions;

namespace Recordings.Api.Apis;

/// <summary>
/// The API side of one upload: feeds an upload grain in order, keeping one chunk in flight while reading the next.
/// Every grain call gets <paramref name="callBudget"/> (stall timeout + commit margin) and is cancelled when the client
/// leaves; past its budget the upload fails with a <see cref="TimeoutException"/> (503) and must then be aborted.
/// </summary>
public sealed class UploadInProgress(IUploadGrain grain, ISessionGrain session, TimeSpan callBudget, ILogger logger)
{
    private bool finished;
    private UploadTicket? reservedTicket;

    public bool Started { get; private set; }

    public Task OpenAsync(UploadTicket? ticket)
    {
        Started = true;
        reservedTicket = ticket;
        return grain.Open(ticket);
    }

    /// <summary>Sends the stream to the grain; returns the bytes read, stopping as soon as they pass <paramref name="maxBytes"/>.</summary>
    public async Task<long> PumpAsync(Stream body, int chunkBytes, long maxBytes, CancellationToken cancellationToken)
    {
        // Two buffers: one travels to the grain while the other fills. The grain is done with a buffer when its call returns.
        byte[][] buffers = [ArrayPool<byte>.Shared.Rent(chunkBytes), ArrayPool<byte>.Shared.Rent(chunkBytes)];
        var inFlight = Task.CompletedTask;
        long total = 0;
        try
        {
            for (var current = 0; ; current ^= 1)
            {
                var buffer = buffers[current];
                var read = await body.ReadAtLeastAsync(buffer.AsMemory(0, chunkBytes), chunkBytes, throwOnEndOfStream: false, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                total += read;
                await inFlight;
                if (total > maxBytes)
                {
                    return total;
                }

                inFlight = WithinBudgetAsync(token => grain.Write(buffer, read, token), cancellationToken);
            }

            await inFlight;
            return total;
        }
        finally
        {
            // Never hand a buffer back while a call may still read it.
            await inFlight.ContinueWith(_ => { }, TaskScheduler.Default);
            ArrayPool<byte>.Shared.Return(buffers[0]);
            ArrayPool<byte>.Shared.Return(buffers[1]);
        }
    }

    public async Task<UploadOutcome> CompleteAsync(UploadTicket ticket, CancellationToken cancellationToken)
    {
        reservedTicket = ticket;
        UploadOutcome? outcome = null;
        await WithinBudgetAsync(async token => outcome = await grain.Complete(ticket, token), cancellationToken);
        finished = true;
        return outcome!;
    }

    /// <summary>
    /// Drops the upload, frees its reserved name and takes back a commit that got through after we stopped waiting;
    /// safe to call more than once or before it started. Waits at most one call budget: the grain finishes it anyway.
    /// </summary>
    public async Task AbortAsync()
    {
        if (finished || !Started)
        {
            return;
        }

        finished = true;
        try
        {
            await grain.Abort(reservedTicket).WaitAsync(callBudget);
        }
        catch (Exception exception)
        {
            // The upload's silo may be gone: at least free the name; its bytes are the orphan sweep's.
            logger.LogWarning("Could not abort upload of {Filename}: {Reason}", reservedTicket?.Filename ?? "(unnamed)", exception.Message);
            if (reservedTicket is not null)
            {
                await session.Release(reservedTicket.Filename).WaitAsync(callBudget);
            }
        }
    }

    private async Task WithinBudgetAsync(Func<CancellationToken, Task> call, CancellationToken requestAborted)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        deadline.CancelAfter(callBudget);
        try
        {
            await call(deadline.Token);
        }
        catch (OperationCanceledException) when (!requestAborted.IsCancellationRequested)
        {
            throw new TimeoutException($"The upload did not progress within its time budget ({callBudget.TotalSeconds:0.#} s)");
        }
    }
}
