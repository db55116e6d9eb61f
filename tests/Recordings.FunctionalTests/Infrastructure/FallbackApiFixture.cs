namespace Recordings.FunctionalTests.Infrastructure;

/// <summary>Supabase and the API, with a short stall timeout and circuit break so failures are quick to provoke.</summary>
public sealed class FallbackApiFixture : SupabaseApiFixture
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Recordings__SupabaseStallTimeout"] = "00:00:02",
        ["Supabase__CircuitBreakDuration"] = "00:00:01",
        ["Supabase__RequestTimeout"] = "00:00:02",
    };

    /// <summary>Clears every fault and waits until an upload reaches Supabase again (the breaker may still be open).</summary>
    public Task HealAsync() => SupabaseRecovery.HealAsync(Supabase, Client);
}
