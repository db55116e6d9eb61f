namespace Recordings.FunctionalTests.Infrastructure;

/// <summary>Supabase and the API with every timeout at its default (no shortened stall, breaker or request timeout).</summary>
public sealed class DefaultBudgetApiFixture : SupabaseApiFixture
{
    /// <summary>Clears the fault and waits (up to the default breaker's break and more) until uploads reach Supabase again.</summary>
    public async Task HealAsync()
    {
        Supabase.Fault = SupabaseFault.None;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while ((await Client.UploadOkAsync("warmup", [1, 2, 3])).Str("storage_type") != "supabase")
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token);
        }
    }
}
