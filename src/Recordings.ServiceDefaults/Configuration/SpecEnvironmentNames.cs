using Microsoft.Extensions.Configuration;

namespace Recordings.ServiceDefaults.Configuration;

/// <summary>
/// The seed server's environment variable names, mapped onto this service's configuration keys in one place.
/// A key set the .NET way (e.g. Supabase__Url) wins over its seed-style name.
/// </summary>
public static class SpecEnvironmentNames
{
    private static readonly (string Key, string[] Variables)[] Map =
    [
        ("Supabase:Url", ["SUPABASE_URL", "NEXT_PUBLIC_SUPABASE_URL"]),
        // The service-role key is preferred: it bypasses row-level security and may create the bucket.
        ("Supabase:Key", ["SUPABASE_SERVICE_ROLE_KEY", "SUPABASE_ANON_KEY", "NEXT_PUBLIC_SUPABASE_ANON_KEY"]),
        ("Supabase:Bucket", ["SUPABASE_BUCKET"]),
        ("Recordings:Directory", ["RECORDINGS_DIR"]),
        ("Storage:DataDirectory", ["DATA_DIR"]),
        ("Orleans:SiloName", ["SILO_NAME"]),
        ("Logging:LogLevel:Default", ["LOG_LEVEL"]),
    ];

    public static IConfigurationBuilder AddSpecEnvironmentNames(this IConfigurationManager configuration)
    {
        var values = new Dictionary<string, string?>();
        foreach (var (key, variables) in Map)
        {
            if (!string.IsNullOrWhiteSpace(configuration[key]))
            {
                continue;
            }

            var value = variables.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
            if (value is not null)
            {
                values[key] = key == "Logging:LogLevel:Default" ? NormalizeLogLevel(value) : value;
            }
        }

        return configuration.AddInMemoryCollection(values);
    }

    // LOG_LEVEL=DEBUG is how Python users say it; .NET wants Debug.
    private static string NormalizeLogLevel(string value) => value.Trim().ToUpperInvariant() switch
    {
        "DEBUG" => "Debug",
        "INFO" => "Information",
        "WARNING" or "WARN" => "Warning",
        "ERROR" => "Error",
        "CRITICAL" => "Critical",
        _ => value,
    };
}
