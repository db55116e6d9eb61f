namespace Recordings.FunctionalTests.Infrastructure;

/// <summary>A Supabase Storage test server and the real API host configured to use it (service-role key).</summary>
public class SupabaseApiFixture : IAsyncLifetime
{
    public SupabaseStorageTestServer Supabase { get; private set; } = null!;

    public HostProcess Api { get; private set; } = null!;

    public HttpClient Client => Api.Client;

    public const string Bucket = "interview-recordings";

    /// <summary>Extra settings for the API host; fallback tests shorten the stall timeout and the breaker.</summary>
    protected virtual IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    /// <summary>Set up Supabase before the host starts (and reads the bucket), e.g. a bucket with limits.</summary>
    protected virtual void PrepareSupabase(SupabaseStorageTestServer supabase)
    {
    }

    public async Task InitializeAsync()
    {
        Supabase = await SupabaseStorageTestServer.StartAsync();
        PrepareSupabase(Supabase);
        var settings = SettingsFor(Supabase);
        foreach (var (key, value) in ExtraSettings)
        {
            settings[key] = value;
        }

        Api = await HostProcess.StartApiAsync(settings);
        await WaitForBucketAsync();
    }

    public static Dictionary<string, string?> SettingsFor(SupabaseStorageTestServer supabase) => new()
    {
        ["SUPABASE_URL"] = supabase.Url,
        ["SUPABASE_SERVICE_ROLE_KEY"] = supabase.ServiceRoleKey,
    };

    // The host makes sure of the bucket (creating it, or reading its limits) in the background at start, then says so.
    private async Task WaitForBucketAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Api.Output.Contains("Supabase bucket ready", StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The host did not get the Supabase bucket ready within 30 s:\n{Api.Output}");
            }

            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Supabase.DisposeAsync();
    }
}
