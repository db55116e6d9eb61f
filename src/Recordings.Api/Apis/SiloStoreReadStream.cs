using Recordings.Abstractions;

namespace Recordings.Api.Apis;

/// <summary>
/// A read-only, seekable view of a recording on the disk of the silo that holds it, read through that silo's store
/// grain one chunk at a time. Seekable with a known length, so ASP.NET Core's own range processing (206, 416,
/// If-Range, HEAD) serves it exactly as it serves a local file.
/// </summary>
public sealed class SiloStoreReadStream(ISiloStoreGrain store, string sessionId, string filename, long length, int chunkBytes) : Stream
{
    private ReadOnlyMemory<byte> chunk;
    private long chunkStart;
    private long position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            position = value;
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => position + offset,
        SeekOrigin.End => length + offset,
        _ => throw new ArgumentOutOfRangeException(nameof(origin)),
    };

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0 || position >= length)
        {
            return 0;
        }

        if (position < chunkStart || position >= chunkStart + chunk.Length)
        {
            // One grain call per chunk (1 MiB by default), not per 64 KiB read of the response writer.
            var count = (int)Math.Min(chunkBytes, length - position);
            chunk = (await store.Read(sessionId, filename, position, count).WaitAsync(cancellationToken)).Value;
            chunkStart = position;
            if (chunk.Length == 0)
            {
                return 0; // The file shrank under us (deleted meanwhile): end short rather than loop.
            }
        }

        var offset = (int)(position - chunkStart);
        var read = Math.Min(buffer.Length, chunk.Length - offset);
        chunk.Slice(offset, read).CopyTo(buffer);
        position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Every read goes to another silo: only the asynchronous path is offered (Kestrel forbids synchronous I/O anyway).
    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("Read this stream asynchronously.");

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
