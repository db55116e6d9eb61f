using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Win32.SafeHandles;

namespace Recordings.Supabase;

/// <summary>
/// A tus part read straight from a file region (positional reads, so the file's writer is undisturbed): a known
/// length, never the whole part in memory, and replayable.
/// </summary>
internal sealed class SpoolPartContent : HttpContent
{
    private const int BufferBytes = 256 * 1024;

    private readonly SafeFileHandle file;
    private readonly long fileOffset;
    private readonly long length;

    public SpoolPartContent(SafeFileHandle file, long fileOffset, long length)
    {
        this.file = file;
        this.fileOffset = fileOffset;
        this.length = length;
        Headers.ContentType = new MediaTypeHeaderValue(SupabaseStorageClient.TusContentType);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            for (long sent = 0; sent < length;)
            {
                var wanted = (int)Math.Min(BufferBytes, length - sent);
                var read = await RandomAccess.ReadAsync(file, buffer.AsMemory(0, wanted), fileOffset + sent, cancellationToken);
                if (read == 0)
                {
                    throw new IOException($"The file ends {length - sent} bytes before the part does.");
                }

                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                sent += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = this.length;
        return true;
    }
}
