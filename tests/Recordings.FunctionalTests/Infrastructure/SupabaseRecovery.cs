namespace Recordings.FunctionalTests.Infrastructure;

public static class SupabaseRecovery
{
    /// <summary>Clears every fault and waits until an upload reaches Supabase again (the breaker may still be open).</summary>
    public static async Task HealAsync(SupabaseStorageTestServer supabase, HttpClient client)
    {
        supabase.Fault = SupabaseFault.None;
        supabase.MaxObjectBytes = null;
        await supabase.AcceptConnectionsAsync();
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var body = await client.UploadOkAsync("warmup", [1, 2, 3]);
            if (body.Str("storage_type") == "supabase")
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("Supabase uploads did not recover.");
    }
}
