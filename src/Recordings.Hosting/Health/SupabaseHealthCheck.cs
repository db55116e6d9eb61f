using Microsoft.Extensions.Diagnostics.HealthChecks;
using Recordings.Supabase;

namespace Recordings.Hosting.Health;

/// <summary>
/// Ready when Supabase answers. Without credentials the service runs on local disk by design: Degraded, still ready.
/// With credentials but no answer: Unhealthy, so /health/ready says 503 while Supabase is down. Uploads still
/// succeed then (on local disk), but an operator or orchestrator sees the outage where it looks first.
/// </summary>
public sealed class SupabaseHealthCheck(SupabaseStorageClient supabase) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!supabase.IsConfigured)
        {
            return HealthCheckResult.Degraded("fallback: Supabase is not configured, recordings are stored on local disk");
        }

        try
        {
            // The cheapest authenticated call; a missing bucket is an answer too (created at start).
            await supabase.GetBucketAsync(cancellationToken);
            return HealthCheckResult.Healthy($"Supabase reachable (bucket '{supabase.Bucket}')");
        }
        catch (SupabaseStorageException exception)
        {
            return HealthCheckResult.Unhealthy($"Supabase unreachable, uploads fall back to local disk: {exception.Message}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("Supabase unreachable, uploads fall back to local disk: no answer in time");
        }
    }
}
