using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Recordings.Abstractions;
using Recordings.Supabase;

namespace Recordings.Grains.Storage;

/// <summary>
/// At start: says once when Supabase is not configured, otherwise makes sure the bucket exists. Runs in the
/// background so a Supabase outage never delays the service (uploads then fall back to local disk).
/// </summary>
public sealed class SupabaseBucketInitializer(SupabaseStorageClient supabase, ILogger<SupabaseBucketInitializer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!supabase.IsConfigured)
        {
            logger.LogWarning("Supabase client not initialized: set SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY (or an anon key); recordings are stored locally");
            return;
        }

        try
        {
            await supabase.EnsureBucketAsync(stoppingToken);
            logger.LogInformation("Supabase bucket ready");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // An anon key may not create buckets, and Supabase may be down: uploads will fall back, re-sync catches up.
            logger.LogWarning("Could not verify or create the Supabase bucket: {Reason}", exception.Message);
        }
    }
}
