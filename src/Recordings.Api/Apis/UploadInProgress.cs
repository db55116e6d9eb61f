using Recordings.Abstractions;

namespace Recordings.Api.Apis;

/// <summary>
/// The API side of one upload. A file that fits in one chunk is held in memory and stored by one grain call at the
/// end (<see cref="IUploadGrain.StoreWhole"/>); a larger one feeds an upload grain in order, keeping one chunk in
/// flight while reading the next. Every grain call gets <paramref name="callBudget"/> (stall timeout + commit margin)
/// and is cancelled when the client leaves; past its budget the upload fails with a <see cref="TimeoutException"/>
/// (503) and must then be aborted.
/// </summary>
public sealed class UploadInProgress(
    IUploadGrain grain, ISessionGrain session, UploadBufferPool buffers, TimeSpan callBudget, ILogger logger)
{
    private bool finished;
    private bool grainUsed;
    private UploadTicket? reservedTicket;

    // A whole small file, until it is stored; null once handed back to the pool (or when the file was streamed).
    private byte[]? heldBuffer;
    private int heldBytes;

    public bool Started { get; private set; }

    /// <summary>
    /// Reads the file part: kept in memory when it fits in one chunk, otherwise streamed to the grain. Returns the
    /// bytes read, stopping as soon as they pass <paramref name="maxBytes"/>. <paramref name="sizeHint"/> (the
    /// request's length, when declared) keeps the buffer of a small file small.
    /// </summary>
    public async Task<long> ReceiveAsync(
        Stream body, UploadTicket? ticket, int chunkBytes, long? sizeHint, long maxBytes, CancellationToken cancellationToken)
    {
        Started = true;
        reservedTicket = ticket;
        var firstBytes = (int)Math.Clamp(sizeHint ?? chunkBytes, 1, chunkBytes);
        var first = buffers.Rent(firstBytes);
        var read = await body.ReadAtLeastAsync(first.AsMemory(0, firstBytes), firstBytes, throwOnEndOfStream: false, cancellationToken);
        if (read < firstBytes)
        {
            (heldBuffer, heldBytes) = (first, read);
            return read;
        }

        try
        {
            grainUsed = true;
            await grain.Open(ticket);
            return await ChunkPump.PumpAsync(body, first.AsMemory(0, read), chunkBytes, maxBytes,
                data => WithinBudgetAsync(token => grain.Write(data, token), cancellationToken), cancellationToken);
        }
        finally
        {
            buffers.Return(first);
        }
    }

    public async Task<UploadOutcome> CompleteAsync(UploadTicket ticket, CancellationToken cancellationToken)
    {
        reservedTicket = ticket;
        grainUsed = true;
        UploadOutcome? outcome = null;
        if (heldBuffer is { } held)
        {
            await WithinBudgetAsync(async token => outcome = await grain.StoreWhole(ticket, held.AsMemory(0, heldBytes), token), cancellationToken);
            // Only after the call ended: in this process the grain reads the very same memory.
            ReleaseHeldBuffer();
        }
        else
        {
            await WithinBudgetAsync(async token => outcome = await grain.Complete(ticket, token), cancellationToken);
        }

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
        if (!grainUsed)
        {
            // Nothing reached a grain: the held bytes and the name are all there is to give back.
            ReleaseHeldBuffer();
            if (reservedTicket is not null)
            {
                await session.Release(reservedTicket.Filename).WaitAsync(callBudget);
            }

            return;
        }

        // A held buffer a timed-out call may still read is left to the garbage collector, not handed back to the pool.
        heldBuffer = null;
        try
        {
            await grain.Abort(reservedTicket).WaitAsync(callBudget);
        }
        catch (Exception exception)
        {
            // The upload's silo may be gone, perhaps after the commit got through and before its answer did: the
            // session takes back a commit of this name (the client was not told it is stored) or frees the name.
            // Bytes nobody lists are the orphan sweep's.
            logger.LogWarning("Could not abort upload of {Filename}: {Reason}", reservedTicket?.Filename ?? "(unnamed)", exception.Message);
            if (reservedTicket is not null)
            {
                await WithdrawAsync(reservedTicket.Filename);
            }
        }
    }

    // Never hides the upload's own failure: a withdrawal that fails too is logged (the client is answered the first).
    private async Task WithdrawAsync(string filename)
    {
        try
        {
            await session.Withdraw(filename).WaitAsync(callBudget);
        }
        catch (Exception exception)
        {
            logger.LogWarning("Could not withdraw {Filename}: {Reason}", filename, exception.Message);
        }
    }

    private void ReleaseHeldBuffer()
    {
        if (heldBuffer is { } held)
        {
            heldBuffer = null;
            buffers.Return(held);
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
