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

    public async Task InitializeAsync()
    {
        Supabase = await SupabaseStorageTestServer.StartAsync();
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

    // The host creates the bucket in the background at start.
    private async Task WaitForBucketAsync()
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", Supabase.ServiceRoleKey);
        for (var i = 0; i < 100; i++)
        {
            using var response = await http.GetAsync($"{Supabase.Url}/storage/v1/bucket/{Bucket}");
            if ((await response.Content.ReadAsStringAsync()).Contains("\"public\"", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Supabase.DisposeAsync();
    }
}
