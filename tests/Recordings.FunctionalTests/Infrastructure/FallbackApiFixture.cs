namespace Recordings.FunctionalTests.Infrastructure;

/// <summary>
/// Supabase and the API, with a short stall timeout and circuit break so failures are quick to provoke, and a bucket
/// whose file_size_limit (<see cref="BucketSizeLimit"/>) the client learns at start and enforces itself.
/// </summary>
public sealed class FallbackApiFixture : SupabaseApiFixture
{
    public const long BucketSizeLimit = 1024 * 1024;

    protected override void PrepareSupabase(SupabaseStorageTestServer supabase) =>
        supabase.CreateBucket(Bucket, isPublic: true, fileSizeLimit: BucketSizeLimit);

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Recordings__SupabaseStallTimeout"] = "00:00:02",
        ["Supabase__CircuitBreakDuration"] = "00:00:01",
        ["Supabase__RequestTimeout"] = "00:00:02",
    };

    /// <summary>Clears every fault and waits until an upload reaches Supabase again (the breaker may still be open).</summary>
    public Task HealAsync() => SupabaseRecovery.HealAsync(Supabase, Client);
}
