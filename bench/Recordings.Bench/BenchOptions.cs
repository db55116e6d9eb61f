using Recordings.Bench.Load;

namespace Recordings.Bench;

/// <summary>The command line: which plan, where to write, and which service and storage server to measure.</summary>
public sealed record BenchOptions(
    bool Quick, string OutPath, Uri? ServiceUrl, Uri? SupabaseUrl, string? SupabaseKey, string Bucket, IReadOnlyDictionary<string, string> ServiceEnvironment,
    IReadOnlySet<string> Sections, TimeSpan QuietWait, string? Token = null)
{
    public static readonly IReadOnlySet<string> AllSections = new HashSet<string> { "memory", "uploads", "reads", "scale" };

    public const string DefaultOut = "bench-results/results.md";
    public const string DefaultBucket = "interview-recordings";

    public const string Usage = """
        Recordings service benchmark: upload throughput and latency, reads, memory and scale.

        dotnet run -c Release --project bench/Recordings.Bench -- [options]

          --quick                 a small matrix for a smoke run (about a minute)
          --out PATH              where to write the Markdown results (default bench-results/results.md)
          --url URL               measure a running service instead of starting one (no RSS, no local-store rows)
          --supabase-url URL      a real Supabase project instead of the loopback test server
          --supabase-key KEY      its service-role key (default: $SUPABASE_SERVICE_ROLE_KEY)
          --bucket NAME           bucket for direct uploads and started hosts (default interview-recordings)
          --jwt-secret SECRET     turn authentication on in the started hosts (Auth__JwtSecret) and send a
                                  service-role token signed with it (with --url: the service's secret)
          --token TOKEN           a bearer token to send (for --url when the service verifies with JWKS)
          --service-env KEY=VALUE an extra environment variable for the started hosts, to try a setting
                                  without a code change (e.g. Recordings__ChunkBytes=262144); repeatable
          --only SECTIONS         run only these, comma-separated: memory, uploads, reads, scale (default: all)
          --quiet-wait SECONDS    how long to wait for other work on the machine to calm down first (default 60)
          --help                  this text
        """;

    /// <summary>The options, or null after printing why not (or the usage, for --help).</summary>
    public static BenchOptions? Parse(IReadOnlyList<string> args, TextWriter error)
    {
        var options = new BenchOptions(false, DefaultOut, null, null, null, DefaultBucket, new Dictionary<string, string>(), AllSections, TimeSpan.FromSeconds(60));
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value");
            try
            {
                options = name switch
                {
                    "--quick" => options with { Quick = true },
                    "--out" => options with { OutPath = Value() },
                    "--url" => options with { ServiceUrl = HttpUri(name, Value()) },
                    "--supabase-url" => options with { SupabaseUrl = HttpUri(name, Value()) },
                    "--supabase-key" => options with { SupabaseKey = Value() },
                    "--bucket" => options with { Bucket = Value() },
                    "--service-env" => options with { ServiceEnvironment = With(options.ServiceEnvironment, Value()) },
                    "--jwt-secret" => JwtSecret(options, Value()),
                    "--token" => options with { Token = Value() },
                    "--only" => options with { Sections = SectionsOf(Value()) },
                    "--quiet-wait" => options with { QuietWait = Seconds(name, Value()) },
                    "--help" or "-h" => null,
                    _ => throw new ArgumentException($"unknown option {name}"),
                };
            }
            catch (ArgumentException exception)
            {
                error.WriteLine($"error: {exception.Message}\n\n{Usage}");
                return null;
            }

            if (options is null)
            {
                error.WriteLine(Usage);
                return null;
            }
        }

        if (options.SupabaseUrl is not null && string.IsNullOrWhiteSpace(options.SupabaseKey))
        {
            options = options with { SupabaseKey = Environment.GetEnvironmentVariable("SUPABASE_SERVICE_ROLE_KEY") };
            if (string.IsNullOrWhiteSpace(options.SupabaseKey))
            {
                error.WriteLine("error: --supabase-url needs --supabase-key (or SUPABASE_SERVICE_ROLE_KEY)");
                return null;
            }
        }

        return options;
    }

    private static BenchOptions JwtSecret(BenchOptions options, string secret) => options with
    {
        ServiceEnvironment = With(options.ServiceEnvironment, "Auth__JwtSecret=" + secret),
        Token = options.Token ?? ServiceRoleToken.Mint(secret),
    };

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> environment, string setting)
    {
        if (setting.Split('=', 2) is not [{ Length: > 0 } key, var value])
        {
            throw new ArgumentException($"--service-env needs KEY=VALUE, not '{setting}'");
        }

        return new Dictionary<string, string>(environment) { [key] = value };
    }

    private static HashSet<string> SectionsOf(string list)
    {
        var sections = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = sections.Except(AllSections).ToList();
        return unknown.Count == 0 && sections.Count > 0
            ? sections
            : throw new ArgumentException($"--only takes {string.Join(", ", AllSections)}, not '{list}'");
    }

    private static TimeSpan Seconds(string name, string value) =>
        int.TryParse(value, out var seconds) && seconds is >= 0 and <= 3600
            ? TimeSpan.FromSeconds(seconds)
            : throw new ArgumentException($"{name} needs a number of seconds (0-3600), not '{value}'");

    private static Uri HttpUri(string name, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ArgumentException($"{name} needs an http(s) URL, not '{value}'");
}
