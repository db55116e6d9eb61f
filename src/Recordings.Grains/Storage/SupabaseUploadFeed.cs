using System.IO.Pipelines;
using Recordings.Abstractions;
using Recordings.Supabase;

namespace Recordings.Grains.Storage;

/// <summary>
/// One streamed POST to Supabase whose body is fed chunk by chunk as the upload arrives.
/// A failing or stalling Supabase never blocks the feeder: the feed gives up, records why, and the caller
/// keeps the bytes it spooled. A file already whole (in memory, or finished on disk) goes up in one call
/// (<see cref="SendWholeAsync"/>, <see cref="SendFileAsync"/>) with the same time bound and the same reasons.
/// </summary>
public sealed class SupabaseUploadFeed
{
    private readonly Pipe pipe;
    private readonly CancellationTokenSource cancellation = new();
    private readonly TimeSpan stallTimeout;
    private readonly Task upload;

    /// <param name="windowBytes">
    /// What may wait for the socket before the feeder is held back: enough to keep the socket busy, small enough that
    /// a slow Supabase holds back the sender instead of our memory.
    /// </param>
    public SupabaseUploadFeed(SupabaseStorageClient client, string objectPath, string contentType, TimeSpan stallTimeout, long windowBytes)
    {
        this.stallTimeout = stallTimeout;
        // 64 KiB segments (the default is 4 KiB), matching the 64 KiB reads of the request body.
        pipe = new Pipe(new PipeOptions(
            pauseWriterThreshold: windowBytes,
            resumeWriterThreshold: windowBytes / 2,
            minimumSegmentSize: 64 * 1024,
            useSynchronizationContext: false));
        var body = pipe.Reader.AsStream();
        upload = Task.Run(() => client.UploadAsync(objectPath, body, contentType, cancellation.Token));
    }

    /// <summary>
    /// Sends a file held whole in memory as one request; null when Supabase stored it, else why not. Like a feed, it
    /// waits at most the stall timeout for Supabase's answer.
    /// </summary>
    public static Task<UploadFailure?> SendWholeAsync(
        SupabaseStorageClient client, string objectPath, string contentType, ReadOnlyMemory<byte> data, TimeSpan stallTimeout) =>
        WithinStallTimeoutAsync(token => client.UploadAsync(objectPath, data, contentType, token), stallTimeout);

    /// <summary>Sends a finished file from disk as one streamed request, the whole of it within the stall timeout.</summary>
    public static async Task<UploadFailure?> SendFileAsync(
        SupabaseStorageClient client, string objectPath, string contentType, string path, TimeSpan stallTimeout)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, useAsync: true);
        return await WithinStallTimeoutAsync(token => client.UploadAsync(objectPath, file, contentType, token), stallTimeout).ConfigureAwait(false);
    }

    private static async Task<UploadFailure?> WithinStallTimeoutAsync(Func<CancellationToken, Task> send, TimeSpan stallTimeout)
    {
        using var stall = new CancellationTokenSource(stallTimeout);
        try
        {
            await send(stall.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (stall.IsCancellationRequested)
        {
            return StalledAnswer(stallTimeout);
        }
        catch (Exception exception)
        {
            return UploadFailure.From(exception);
        }
    }

    private static UploadFailure StalledAnswer(TimeSpan stallTimeout) =>
        new(UploadFailureKind.Stalled, $"Supabase did not confirm the upload within {stallTimeout.TotalSeconds:0.#} s");

    /// <summary>Why Supabase did not get the file, or null while it still may.</summary>
    public UploadFailure? FailureReason { get; private set; }

    public async Task WriteAsync(ReadOnlyMemory<byte> data)
    {
        if (FailureReason is not null)
        {
            return;
        }

        if (upload.IsCompleted)
        {
            // Supabase answered before the body ended: that is always a refusal (size, auth, server error).
            Fail(ReasonOf(upload, "Supabase closed the upload early"));
            return;
        }

        var flush = pipe.Writer.WriteAsync(data, cancellation.Token);
        if (flush.IsCompletedSuccessfully)
        {
            return;
        }

        var flushTask = flush.AsTask();
        var stall = Task.Delay(stallTimeout, cancellation.Token);
        var first = await Task.WhenAny(flushTask, upload, stall).ConfigureAwait(false);
        if (first == flushTask && flushTask.IsCompletedSuccessfully && !flushTask.Result.IsCompleted)
        {
            return;
        }

        Fail(first == stall
            ? new UploadFailure(UploadFailureKind.Stalled, $"Supabase stalled: no progress for {stallTimeout.TotalSeconds:0.#} s")
            : ReasonOf(upload, "Supabase stopped reading the upload"));
    }

    /// <summary>Ends the body and waits for Supabase's answer; null when the object is stored.</summary>
    public async Task<UploadFailure?> CompleteAsync()
    {
        if (FailureReason is not null)
        {
            await ObserveAsync().ConfigureAwait(false);
            return FailureReason;
        }

        await pipe.Writer.CompleteAsync().ConfigureAwait(false);
        try
        {
            await upload.WaitAsync(stallTimeout).ConfigureAwait(false);
            return null;
        }
        catch (TimeoutException)
        {
            Fail(StalledAnswer(stallTimeout));
        }
        catch (Exception exception)
        {
            Fail(UploadFailure.From(exception));
        }

        await ObserveAsync().ConfigureAwait(false);
        return FailureReason;
    }

    public async Task AbortAsync()
    {
        Fail(new UploadFailure(UploadFailureKind.Other, "upload aborted"));
        await ObserveAsync().ConfigureAwait(false);
    }

    private void Fail(UploadFailure reason)
    {
        if (FailureReason is not null)
        {
            return;
        }

        FailureReason = reason;
        cancellation.Cancel();
        try
        {
            pipe.Writer.Complete(new OperationCanceledException(reason.Message));
        }
        catch (InvalidOperationException)
        {
            // Already completed by CompleteAsync: the cancellation alone ends the request.
        }
    }

    // The upload task ends once cancelled; wait for it so no request outlives the feed.
    private async Task ObserveAsync()
    {
        try
        {
            await upload.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The reason is already recorded; this only drains the cancelled request.
        }
    }

    private static UploadFailure ReasonOf(Task task, string fallback) =>
        task.Exception?.InnerException is { } exception ? UploadFailure.From(exception) : new UploadFailure(UploadFailureKind.Other, fallback);
}
