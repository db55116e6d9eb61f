using System.Buffers;
using System.Net;

namespace Recordings.Supabase;

/// <summary>
/// A request body copied from a stream as it is read, with no length: sent chunked, never buffered whole,
/// so a caller can feed it from a pipe while the file is still arriving.
/// </summary>
internal sealed class StreamedUploadContent : HttpContent
{
    private const int BufferBytes = 64 * 1024;

    private readonly Stream source;
    private readonly long? maxBytes;
    private readonly Func<Exception> tooLarge;

    /// <param name="maxBytes">Stop sending, failing with <paramref name="tooLarge"/>, once the body passes this many bytes.</param>
    public StreamedUploadContent(Stream source, string contentType, long? maxBytes, Func<Exception> tooLarge)
    {
        this.source = source;
        this.maxBytes = maxBytes;
        this.tooLarge = tooLarge;
        Headers.TryAddWithoutValidation("Content-Type", contentType);
    }

    /// <summary>
    /// Set when reading the caller's stream failed, or it passed the size limit: the caller's doing, not Supabase's.
    /// </summary>
    public Exception? SourceFailure { get; private set; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        long sent = 0;
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await source.ReadAsync(buffer.AsMemory(0, BufferBytes), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    SourceFailure = exception;
                    throw;
                }

                if (read == 0)
                {
                    return;
                }

                // Supabase does not check the size of a chunked body: past the limit the request is cut off here.
                sent += read;
                if (sent > maxBytes)
                {
                    SourceFailure = tooLarge();
                    throw SourceFailure;
                }

                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Unknown length: the transport sends Transfer-Encoding: chunked.
    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
