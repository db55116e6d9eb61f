namespace Recordings.Tests.Infrastructure;

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
    public async Task HealAsync()
    {
        Supabase.Fault = SupabaseFault.None;
        Supabase.MaxObjectBytes = null;
        await Supabase.AcceptConnectionsAsync();
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var body = await Client.UploadOkAsync("warmup", [1, 2, 3]);
            if (body.Str("storage_type") == "supabase")
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("Supabase uploads did not recover.");
    }
}
