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
    public Task<long> PumpAsync(Stream body, int chunkBytes, long maxBytes, CancellationToken cancellationToken) =>
        ChunkPump.PumpAsync(body, chunkBytes, maxBytes,
            (buffer, count) => WithinBudgetAsync(token => grain.Write(buffer, count, token), cancellationToken), cancellationToken);

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
