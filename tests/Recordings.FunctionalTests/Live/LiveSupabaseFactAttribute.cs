namespace Recordings.FunctionalTests.Live;

/// <summary>A test that runs only against a real Supabase project; otherwise it is reported as skipped, saying why.</summary>
public sealed class LiveSupabaseFactAttribute : FactAttribute
{
    public static string? Url => Environment.GetEnvironmentVariable("SUPABASE_TEST_URL");

    public static string? Key => Environment.GetEnvironmentVariable("SUPABASE_TEST_SERVICE_ROLE_KEY");

    public LiveSupabaseFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Url) || string.IsNullOrWhiteSpace(Key))
        {
            Skip = "Live Supabase suite not run: set SUPABASE_TEST_URL and SUPABASE_TEST_SERVICE_ROLE_KEY to run it.";
        }
    }
}
