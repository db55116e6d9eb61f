using Recordings.Testing;

namespace Recordings.Bench.Hosting;

/// <summary>
/// The real Recordings.Api host (the build next to this app, so Release when the bench runs in Release) as a child
/// process on 127.0.0.1 with its own temp folder and ports, started by the tests' launcher.
/// </summary>
public static class ApiHost
{
    /// <summary>Path of the API assembly this bench runs.</summary>
    public static string AssemblyPath => typeof(Recordings.Api.Apis.RecordingsApi).Assembly.Location;

    /// <param name="supabase">Where the host stores recordings; null for none (every upload stays local).</param>
    /// <param name="extraEnvironment">Settings to try (--service-env); they win over the bench's own.</param>
    public static Task<HostProcess> StartAsync(
        (Uri Url, string Key)? supabase, string bucket, long maxUploadBytes, IReadOnlyDictionary<string, string> extraEnvironment)
    {
        var settings = new Dictionary<string, string?>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Orleans__SiloName"] = "bench-silo",
            ["Recordings__MaxUploadBytes"] = maxUploadBytes.ToString(),
            // The bench measures the upload path, not the limiter: one client uploads far more than a recorder would.
            ["RateLimits__Uploads"] = "0",
            // A production appsettings.json keeps ASP.NET Core's per-request lines out of the console; the host has none, so say it here.
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
            ["SUPABASE_URL"] = supabase?.Url.ToString(),
            ["SUPABASE_SERVICE_ROLE_KEY"] = supabase?.Key,
            ["Supabase__Bucket"] = bucket,
            ["SUPABASE_BUCKET"] = null,
        };
        foreach (var (key, value) in extraEnvironment)
        {
            settings[key] = value;
        }

        return HostProcess.StartApiAsync(settings);
    }
}
