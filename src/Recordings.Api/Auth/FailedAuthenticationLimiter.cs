using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Recordings.Api.Auth;

/// <summary>
/// Counts failed authentications per client address (fixed window) and, once an address is over the limit,
/// refuses its requests before their token is even looked at: guessing tokens gets no answers.
/// </summary>
public sealed class FailedAuthenticationLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string>? limiter;

    public FailedAuthenticationLimiter(IOptions<RateLimitOptions> options)
    {
        var settings = options.Value;
        if (settings.FailedAuthentications > 0)
        {
            limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address,
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = settings.FailedAuthentications,
                    Window = settings.FailedAuthenticationWindow,
                    QueueLimit = 0,
                }));
        }
    }

    /// <summary>Whether the address has used up its failures; if so, how long until it may try again.</summary>
    public bool IsBlocked(HttpContext context, out TimeSpan? retryAfter)
    {
        retryAfter = null;
        if (limiter is null)
        {
            return false;
        }

        // Zero permits asks "any left?" without taking one.
        using var lease = limiter.AttemptAcquire(AddressOf(context), permitCount: 0);
        if (lease.IsAcquired)
        {
            return false;
        }

        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : null;
        return true;
    }

    public void RecordFailure(HttpContext context)
    {
        using var lease = limiter?.AttemptAcquire(AddressOf(context));
    }

    public void Dispose() => limiter?.Dispose();

    public static string AddressOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
