using System.CommandLine;
using System.CommandLine.Parsing;
using Recordings.Bench.Load;

namespace Recordings.Bench;

/// <summary>The command line: which plan, where to write, and which service and storage server to measure.</summary>
public sealed record BenchOptions(
    bool Quick, string OutPath, Uri? ServiceUrl, Uri? SupabaseUrl, string? SupabaseKey, string Bucket, IReadOnlyDictionary<string, string> ServiceEnvironment,
    IReadOnlySet<string> Sections, TimeSpan QuietWait, bool CalibratedStorage, string? Token = null)
{
    public static readonly IReadOnlySet<string> AllSections = new HashSet<string> { "memory", "uploads", "reads", "scale", "resumable", "progressive" };

    private static readonly Option<bool> QuickOption = new("--quick") { Description = "a small matrix for a smoke run (about a minute)" };

    private static readonly Option<string> OutOption = new("--out")
    {
        Description = "where to write the Markdown results",
        DefaultValueFactory = _ => "bench-results/results.md",
    };

    private static readonly Option<Uri?> UrlOption = new("--url")
    {
        Description = "measure a running service instead of starting one (no RSS, no local-store rows)",
        CustomParser = HttpUri,
    };

    private static readonly Option<Uri?> SupabaseUrlOption = new("--supabase-url")
    {
        Description = "a real Supabase project instead of the loopback test server",
        CustomParser = HttpUri,
    };

    private static readonly Option<string?> SupabaseKeyOption = new("--supabase-key")
    {
        Description = "its service-role key (default: $SUPABASE_SERVICE_ROLE_KEY)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SUPABASE_SERVICE_ROLE_KEY"),
    };

    private static readonly Option<string> BucketOption = new("--bucket")
    {
        Description = "bucket for direct uploads and started hosts",
        DefaultValueFactory = _ => "interview-recordings",
    };

    private static readonly Option<string[]> ServiceEnvOption = new("--service-env")
    {
        Description = "KEY=VALUE: an extra environment variable for the started hosts, to try a setting without a code change " +
                      "(e.g. Recordings__ChunkBytes=262144); repeatable",
        AllowMultipleArgumentsPerToken = false,
    };

    private static readonly Option<string?> JwtSecretOption = new("--jwt-secret")
    {
        Description = "turn authentication on in the started hosts (Auth__JwtSecret) and send a service-role token signed with it " +
                      "(with --url: the service's secret)",
    };

    private static readonly Option<string?> TokenOption = new("--token")
    {
        Description = "a bearer token to send (for --url when the service verifies with JWKS)",
    };

    private static readonly Option<string[]> OnlyOption = new("--only")
    {
        Description = "run only these sections, comma-separated: memory, uploads, reads, scale, resumable, progressive (default: all)",
    };

    private static readonly Option<int> QuietWaitOption = new("--quiet-wait")
    {
        Description = "seconds to wait for other work on the machine to calm down first",
        DefaultValueFactory = _ => 60,
    };

    private static readonly Option<string> StorageCostOption = new("--storage-cost")
    {
        Description = "calibrated: the loopback storage server costs what the real Supabase Storage server does (latency, CPU per request " +
                      "and per MiB, one worker), so ratios predict those against Supabase; none: as fast as it can, for the service's own ceiling",
        DefaultValueFactory = _ => "calibrated",
    };

    /// <summary>The command, with <paramref name="run"/> as its action once the options parse and validate.</summary>
    public static RootCommand Command(Func<BenchOptions, CancellationToken, Task<int>> run)
    {
        var command = new RootCommand("Recordings service benchmark: upload throughput and latency, reads, memory and scale.")
        {
            QuickOption, OutOption, UrlOption, SupabaseUrlOption, SupabaseKeyOption, BucketOption, ServiceEnvOption, JwtSecretOption, TokenOption,
            OnlyOption, QuietWaitOption, StorageCostOption,
        };
        StorageCostOption.AcceptOnlyFromAmong("calibrated", "none");
        ServiceEnvOption.Validators.Add(result =>
        {
            foreach (var setting in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (setting.Split('=', 2) is not [{ Length: > 0 }, _])
                {
                    result.AddError($"--service-env needs KEY=VALUE, not '{setting}'");
                }
            }
        });
        OnlyOption.Validators.Add(result =>
        {
            var unknown = SectionsOf(result.GetValueOrDefault<string[]>()).Except(AllSections).ToList();
            if (unknown.Count > 0)
            {
                result.AddError($"--only takes {string.Join(", ", AllSections)}, not '{string.Join(",", unknown)}'");
            }
        });
        QuietWaitOption.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 3600)
            {
                result.AddError("--quiet-wait needs a number of seconds (0-3600)");
            }
        });
        command.Validators.Add(result =>
        {
            if (result.GetValue(SupabaseUrlOption) is not null && string.IsNullOrWhiteSpace(result.GetValue(SupabaseKeyOption)))
            {
                result.AddError("--supabase-url needs --supabase-key (or SUPABASE_SERVICE_ROLE_KEY)");
            }
        });
        command.SetAction((parsed, cancellationToken) => run(From(parsed), cancellationToken));
        return command;
    }

    private static BenchOptions From(ParseResult parsed)
    {
        var sections = SectionsOf(parsed.GetValue(OnlyOption));
        var environment = (parsed.GetValue(ServiceEnvOption) ?? []).Select(setting => setting.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1]);
        var jwtSecret = parsed.GetValue(JwtSecretOption);
        if (!string.IsNullOrEmpty(jwtSecret))
        {
            environment["Auth__JwtSecret"] = jwtSecret;
        }

        return new BenchOptions(
            parsed.GetValue(QuickOption),
            parsed.GetValue(OutOption)!,
            parsed.GetValue(UrlOption),
            parsed.GetValue(SupabaseUrlOption),
            parsed.GetValue(SupabaseKeyOption),
            parsed.GetValue(BucketOption)!,
            environment,
            sections.Count == 0 ? AllSections : sections,
            TimeSpan.FromSeconds(parsed.GetValue(QuietWaitOption)),
            parsed.GetValue(StorageCostOption) == "calibrated",
            parsed.GetValue(TokenOption) ?? (string.IsNullOrEmpty(jwtSecret) ? null : ServiceRoleToken.Mint(jwtSecret)));
    }

    private static HashSet<string> SectionsOf(string[]? lists) =>
        (lists ?? []).SelectMany(list => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToHashSet(StringComparer.Ordinal);

    private static Uri? HttpUri(ArgumentResult result)
    {
        var value = result.Tokens.Single().Value;
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }

        result.AddError($"{(result.Parent as OptionResult)?.Option.Name} needs an http(s) URL, not '{value}'");
        return null;
    }
}
