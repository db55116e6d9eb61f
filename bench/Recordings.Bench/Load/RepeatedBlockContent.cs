using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Recordings.Bench.Load;

/// <summary>
/// A request body of any length made of one random 1 MiB block sent over and over: the client holds 1 MiB however
/// many uploads of whatever size are in flight, and the length is known, so the request carries Content-Length.
/// </summary>
public sealed class RepeatedBlockContent : HttpContent
{
    private static readonly byte[] Block = RandomNumberGenerator.GetBytes(1024 * 1024);

    private readonly long length;

    public RepeatedBlockContent(long length, string contentType = "video/webm")
    {
        this.length = length;
        Headers.ContentType = new MediaTypeHeaderValue(contentType);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        for (var remaining = length; remaining > 0;)
        {
            var count = (int)Math.Min(remaining, Block.Length);
            await stream.WriteAsync(Block.AsMemory(0, count), cancellationToken);
            remaining -= count;
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = this.length;
        return true;
    }
}
