using System.Buffers;
using System.Numerics;
using Microsoft.Extensions.Options;
using Recordings.Abstractions;

namespace Recordings.Api.Apis;

/// <summary>
/// The arrays that hold a small upload whole until it is stored (and a larger one's first chunk), reused instead of
/// left to the garbage collector. A body waiting seconds for a busy Supabase outlives several collections; fresh arrays
/// would each be promoted and pile up in gen 2 until a full collection (measured: about 40 MB more peak memory at
/// 1,000 connections). Arrays come in powers of two up to a chunk; the pool keeps at most
/// <see cref="RecordingsOptions.UploadMemoryBytes"/> / <see cref="RecordingsOptions.ChunkBytes"/> of each size, so
/// what it keeps between bursts stays under twice the upload memory budget.
/// </summary>
public sealed class UploadBufferPool(IOptions<RecordingsOptions> options)
{
    private const int SmallestArray = 16;

    private readonly ArrayPool<byte> pool = ArrayPool<byte>.Create(
        options.Value.ChunkBytes, (int)Math.Clamp(options.Value.UploadMemoryBytes / options.Value.ChunkBytes, 1, int.MaxValue));

    /// <summary>What holding <paramref name="bytes"/> takes from memory: the pooled array's length.</summary>
    public static long ArrayBytesFor(long bytes) => (long)BitOperations.RoundUpToPowerOf2((ulong)Math.Max(bytes, SmallestArray));

    /// <summary>An array of at least <paramref name="bytes"/> (at most a chunk); give it back with <see cref="Return"/>.</summary>
    public byte[] Rent(int bytes) => pool.Rent(bytes);

    public void Return(byte[] buffer) => pool.Return(buffer);
}
