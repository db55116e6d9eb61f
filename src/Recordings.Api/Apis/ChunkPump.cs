using System.Buffers;

namespace Recordings.Api.Apis;

/// <summary>Reads a request body in chunks and sends each to a grain, one call in flight while the next chunk is read.</summary>
public static class ChunkPump
{
    /// <summary>Sends the stream in order, each chunk at its real length; returns the bytes read, stopping as soon as they pass <paramref name="maxBytes"/>.</summary>
    public static Task<long> PumpAsync(
        Stream body, int chunkBytes, long maxBytes, Func<ReadOnlyMemory<byte>, Task> send, CancellationToken cancellationToken) =>
        PumpAsync(body, ReadOnlyMemory<byte>.Empty, chunkBytes, maxBytes, send, cancellationToken);

    /// <summary>
    /// Sends <paramref name="first"/> (already read from <paramref name="body"/>) and then the rest of the stream in
    /// order, each chunk at its real length; returns the bytes read, stopping as soon as they pass <paramref name="maxBytes"/>.
    /// </summary>
    public static async Task<long> PumpAsync(
        Stream body, ReadOnlyMemory<byte> first, int chunkBytes, long maxBytes, Func<ReadOnlyMemory<byte>, Task> send,
        CancellationToken cancellationToken)
    {
        long total = first.Length;
        if (total > maxBytes)
        {
            return total;
        }

        // The first chunk travels to the grain while this buffer fills; from then on the two buffers take turns.
        // The grain is done with a buffer when its call returns.
        var inFlight = first.IsEmpty ? Task.CompletedTask : send(first);
        byte[][] buffers = [ArrayPool<byte>.Shared.Rent(chunkBytes), []];
        try
        {
            for (var current = 0; ; current ^= 1)
            {
                if (buffers[current].Length == 0)
                {
                    buffers[current] = ArrayPool<byte>.Shared.Rent(chunkBytes);
                }

                var chunk = buffers[current].AsMemory(0, chunkBytes);
                var read = await body.ReadAtLeastAsync(chunk, chunkBytes, throwOnEndOfStream: false, cancellationToken);
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

                inFlight = send(chunk[..read]);
            }

            await inFlight;
            return total;
        }
        finally
        {
            // Never hand a buffer back while a call may still read it.
            await inFlight.ContinueWith(_ => { }, TaskScheduler.Default);
            foreach (var buffer in buffers.Where(buffer => buffer.Length > 0))
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
