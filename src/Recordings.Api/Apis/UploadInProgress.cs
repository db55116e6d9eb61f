using System.Buffers;
using Recordings.Abstractions;

namespace Recordings.Api.Apis;

/// <summary>The API side of one upload: feeds an upload grain in order, keeping one chunk in flight while reading the next.</summary>
public sealed class UploadInProgress(IUploadGrain grain, ISessionGrain session)
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

                inFlight = grain.Write(buffer, read);
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

    public async Task<UploadOutcome> CompleteAsync(UploadTicket ticket)
    {
        finished = true;
        return await grain.Complete(ticket);
    }

    /// <summary>Drops the upload and frees its reserved name; safe to call more than once or before it started.</summary>
    public async Task AbortAsync()
    {
        if (finished || !Started)
        {
            return;
        }

        finished = true;
        await grain.Abort();
        if (reservedTicket is not null)
        {
            await session.Release(reservedTicket.Filename);
        }
    }
}
