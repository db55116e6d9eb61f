using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace Recordings.Supabase;

/// <summary>
/// The one resilience pipeline in front of every Supabase call: retry, then circuit breaker, then per-attempt timeout.
/// </summary>
/// <remarks>
/// One pipeline rather than two clients, so that uploads and small calls share one breaker: whatever call finds
/// Supabase dead opens the circuit for all, and a dead Supabase costs one quick failure, not a timeout per upload.
/// A streamed upload is marked on its request: the retry leaves it alone (its body cannot be replayed) and the
/// timeout gives it UploadTimeout instead of RequestTimeout.
/// An open circuit throws Polly's BrokenCircuitException, which the client turns into a
/// <see cref="SupabaseStorageException"/> with ErrorCode <see cref="SupabaseErrorCodes.CircuitOpen"/>.
/// Errors that Supabase reports as HTTP 400 with a code in the body (missing object, duplicate, too large...)
/// are answers, not faults: neither retried nor counted by the breaker.
/// </remarks>
internal static class SupabaseResiliencePipeline
{
    public const string Name = "supabase";

    // The standard handler waits for 100 calls before judging; a service with a few uploads a minute would never trip.
    private const int MinimumThroughput = 3;
    private const double FailureRatio = 0.5;

    // Long enough to hold three attempts that each waited out a 10 s RequestTimeout (a stalled Supabase).
    private static readonly TimeSpan SamplingDuration = TimeSpan.FromSeconds(30);

    private static readonly HttpRequestOptionsKey<bool> StreamedUploadKey = new("Recordings.Supabase.StreamedUpload");

    public static void MarkAsStreamedUpload(HttpRequestMessage request) => request.Options.Set(StreamedUploadKey, true);

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var options = context.GetOptions<SupabaseOptions>();

        if (options.MaxRetryAttempts > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(
                    !IsStreamedUpload(args.Context) && IsTransientFailure(args.Outcome, args.Context.CancellationToken)),
            });
        }

        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = FailureRatio,
            MinimumThroughput = MinimumThroughput,
            SamplingDuration = SamplingDuration,
            BreakDuration = options.CircuitBreakDuration,
            ShouldHandle = args => ValueTask.FromResult(
                !UploadSourceFailed(args.Context) && IsTransientFailure(args.Outcome, args.Context.CancellationToken)),
        });

        pipeline.AddTimeout(new HttpTimeoutStrategyOptions
        {
            TimeoutGenerator = args => ValueTask.FromResult(
                IsStreamedUpload(args.Context) ? options.UploadTimeout : options.RequestTimeout),
        });
    }

    private static bool IsStreamedUpload(ResilienceContext context) =>
        context.GetRequestMessage() is { } request && request.Options.TryGetValue(StreamedUploadKey, out var streamed) && streamed;

    // The caller's stream broke (e.g. its client went away): Supabase is not to blame.
    private static bool UploadSourceFailed(ResilienceContext context) =>
        context.GetRequestMessage()?.Content is StreamedUploadContent { SourceFailure: not null };

    private static bool IsTransientFailure(Outcome<HttpResponseMessage> outcome, CancellationToken callerToken) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        // SocketsHttpHandler's ConnectTimeout surfaces as a cancellation wrapping a TimeoutException.
        { Exception: OperationCanceledException { InnerException: TimeoutException } } => !callerToken.IsCancellationRequested,
        { Result: { } response } => (int)response.StatusCode is 408 or 429 or >= 500,
        _ => false,
    };
}
