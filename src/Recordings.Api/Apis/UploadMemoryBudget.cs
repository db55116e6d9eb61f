using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Recordings.Abstractions;
using Recordings.Supabase;

namespace Recordings.Api.Apis;

/// <summary>
/// The bytes of upload bodies this API host holds at once (<see cref="RecordingsOptions.UploadMemoryBytes"/>), shared
/// by every upload request: a small file is held whole until it is stored (in an array of
/// <see cref="UploadBufferPool"/>), a larger one streams through about three chunks. A request waits, oldest first,
/// for its share before it reads a byte of its body, so a flood of uploads waits in the sockets rather than in this
/// process, and a slow Supabase holds no more than the budget. Gauges (recordings_upload_memory_waiting,
/// recordings_upload_memory_bytes) show operators when uploads queue here.
/// </summary>
public sealed class UploadMemoryBudget : IDisposable
{
    private const int BytesPerPermit = 1024;

    private readonly ConcurrencyLimiter limiter;
    private readonly long streamingBytes;
    private readonly int chunkBytes;
    private readonly int totalPermits;
    private long waiting;

    public UploadMemoryBudget(IOptions<RecordingsOptions> options, IMeterFactory meterFactory)
    {
        var settings = options.Value;
        // A streamed upload: the chunk being read, and the window of chunks waiting for Supabase's socket.
        chunkBytes = settings.ChunkBytes;
        streamingBytes = settings.ChunkBytes + settings.SupabaseWindowBytes;
        totalPermits = (int)Math.Min(int.MaxValue, settings.UploadMemoryBytes / BytesPerPermit);
        limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = totalPermits,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });

        var meter = meterFactory.Create(SupabaseMetrics.MeterName);
        meter.CreateObservableGauge("recordings.upload.memory.waiting", () => Interlocked.Read(ref waiting),
            "{request}", "Upload requests waiting for room in this API host's upload memory budget");
        meter.CreateObservableGauge("recordings.upload.memory", () => BytesInUse, "By",
            "Upload memory budget in use on this API host");
    }

    private long BytesInUse => (totalPermits - (limiter.GetStatistics()?.CurrentAvailablePermits ?? 0)) * (long)BytesPerPermit;

    // What a body of declaredLength bytes (null: not declared) holds in memory at most: a small one the pooled array
    // that holds it whole, a larger one the streaming share.
    private long BytesFor(long? declaredLength) => declaredLength < chunkBytes
        ? UploadBufferPool.ArrayBytesFor(declaredLength.Value)
        : streamingBytes;

    /// <summary>
    /// Waits for the memory a body of <paramref name="declaredLength"/> bytes needs; disposing the lease gives it back.
    /// Throws <see cref="OperationCanceledException"/> when the client leaves while waiting.
    /// </summary>
    public async ValueTask<RateLimitLease> AcquireAsync(long? declaredLength, CancellationToken cancellationToken)
    {
        // At least one permit, at most all of them (a limiter refuses a request larger than its limit).
        var permits = (int)Math.Clamp((BytesFor(declaredLength) + BytesPerPermit - 1) / BytesPerPermit, 1, totalPermits);
        var lease = limiter.AttemptAcquire(permits);
        if (lease.IsAcquired)
        {
            return lease;
        }

        Interlocked.Increment(ref waiting);
        try
        {
            return await limiter.AcquireAsync(permits, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref waiting);
        }
    }

    public void Dispose() => limiter.Dispose();
}
