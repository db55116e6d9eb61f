using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.RateLimiting;

namespace Recordings.Api.Auth;

/// <summary>
/// The rate limit on uploads and on creating resumable uploads: per token (a leaked recorder token cannot flood the
/// store), per client address when auth is off. The service role, the admin credential, is not limited.
/// </summary>
public static class UploadRateLimit
{
    /// <summary>The named policy: <c>.RequireRateLimiting(UploadRateLimit.PolicyName)</c> on an endpoint that starts an upload.</summary>
    public const string PolicyName = "recordings-uploads";

    public static RateLimiterOptions AddUploadPolicy(this RateLimiterOptions limiter, RateLimitOptions settings)
    {
        limiter.AddPolicy(PolicyName, context =>
        {
            if (settings.Uploads <= 0 || context.User.IsServiceRole())
            {
                return RateLimitPartition.GetNoLimiter("unlimited");
            }

            return RateLimitPartition.GetFixedWindowLimiter(PartitionOf(context), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = settings.Uploads,
                Window = settings.UploadWindow,
                QueueLimit = 0,
            });
        });
        return limiter;
    }

    // A hash, so the limiter's table holds no usable token.
    private static string PartitionOf(HttpContext context) =>
        context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Properties?.GetTokenValue("access_token") is { } token
            ? "token:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)))
            : "address:" + FailedAuthenticationLimiter.AddressOf(context);
}
