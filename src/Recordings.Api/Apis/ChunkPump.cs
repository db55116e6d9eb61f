using System.Buffers;

namespace Recordings.Api.Apis;

/// <summary>Reads a request body in chunks and sends each to a grain, one call in flight while the next chunk is read.</summary>
public static class ChunkPump
{
    /// <summary>Sends the stream in order; returns the bytes read, stopping as soon as they pass <paramref name="maxBytes"/>.</summary>
    public static async Task<long> PumpAsync(
        Stream body, int chunkBytes, long maxBytes, Func<byte[], int, Task> send, CancellationToken cancellationToken)
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

                inFlight = send(buffer, read);
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
}
