using System.Security.Cryptography;

namespace Recordings.Testing;

/// <summary>
/// A file for an upload request body: <see cref="Length"/> pseudo-random bytes that stop at <paramref name="pauseAt"/>
/// until <see cref="Resume"/> is called, so a test knows an upload is in flight while it stops a host. Hashes what it
/// produced (SHA-256, lowercase hex) for comparison with what the service stored.
/// </summary>
public sealed class PausingUploadStream(long length, long pauseAt, int seed) : Stream
{
    private readonly Random random = new(seed);
    private readonly IncrementalHash sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly TaskCompletionSource paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long position;
    private string? hash;

    /// <summary>Completes once the first <c>pauseAt</c> bytes have been handed to the request.</summary>
    public Task Paused => paused.Task;

    public void Resume() => resumed.TrySetResult();

    /// <summary>The hash of every byte, once all were read.</summary>
    public string Sha256Hex => hash ?? throw new InvalidOperationException("The upload was not read to its end.");

    public override long Length => length;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Position { get => position; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (position == pauseAt)
        {
            paused.TrySetResult();
            await resumed.Task.WaitAsync(cancellationToken);
        }

        var limit = position < pauseAt ? pauseAt : length;
        var count = (int)Math.Min(buffer.Length, limit - position);
        var chunk = buffer.Span[..count];
        random.NextBytes(chunk);
        sha256.AppendData(chunk);
        position += count;
        if (position == length)
        {
            hash ??= Convert.ToHexStringLower(sha256.GetHashAndReset());
        }

        return count;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            sha256.Dispose();
        }

        base.Dispose(disposing);
    }
}
