using System.Text.Json;
using Recordings.Testing;
using Recordings.FunctionalTests.Infrastructure;

namespace Recordings.FunctionalTests.Telemetry;

/// <summary>Every query of every panel of the Grafana dashboard, with Grafana's variables replaced by fixed windows.</summary>
public static class DashboardPanels
{
    public const string DashboardPath = "otel/grafana/dashboards/recordings.json";

    // Wide enough for two scrapes a second apart, as Grafana's $__rate_interval is for its scrape interval.
    private static readonly (string Variable, string Value)[] Variables =
    [
        ("$__rate_interval", "30s"),
        ("$__interval", "5s"),
        ("$__range", "5m"),
    ];

    public sealed record Query(string Panel, string Expression);

    public static IReadOnlyList<Query> Queries()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf(DashboardPath)));
        var queries = new List<Query>();
        Collect(dashboard.RootElement.GetProperty("panels"), queries);
        return queries;
    }

    private static void Collect(JsonElement panels, List<Query> queries)
    {
        foreach (var panel in panels.EnumerateArray())
        {
            if (panel.TryGetProperty("targets", out var targets))
            {
                foreach (var target in targets.EnumerateArray())
                {
                    if (target.TryGetProperty("expr", out var expression))
                    {
                        var text = expression.GetString()!;
                        foreach (var (variable, value) in Variables)
                        {
                            text = text.Replace(variable, value, StringComparison.Ordinal);
                        }

                        Assert.DoesNotContain("$", text);
                        queries.Add(new Query($"{panel.GetProperty("title").GetString()} ({target.GetProperty("refId").GetString()})", text));
                    }
                }
            }

            if (panel.TryGetProperty("panels", out var nested))
            {
                Collect(nested, queries);
            }
        }
    }
}
