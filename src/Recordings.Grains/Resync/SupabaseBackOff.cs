using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Recordings.Grains.Resync;

/// <summary>
/// How the silo's background passes wait for Supabase: a failed pass (Supabase down, breaker open) is tried again after
/// Resync__Interval, doubling up to Resync__MaxBackoff, with one Warning per pause.
/// </summary>
public static class SupabaseBackOff
{
    public static ResiliencePipeline For(ResyncOptions settings, ILogger logger, string pass) => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(exception => exception is not OperationCanceledException),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            Delay = settings.Interval,
            MaxDelay = settings.MaxBackoff,
            OnRetry = retry =>
            {
                logger.LogWarning("{Pass} paused, next try in {Wait}: {Reason}", pass, retry.RetryDelay, retry.Outcome.Exception?.Message);
                return ValueTask.CompletedTask;
            },
        })
        .Build();
}
