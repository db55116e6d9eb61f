using System.Text.Json;
using Recordings.Testing;
using Recordings.FunctionalTests.Infrastructure;

namespace Recordings.FunctionalTests.Telemetry;

/// <summary>
/// The Grafana dashboard against a real Prometheus scraping a real API host (a child process, one-machine mode) that
/// served a few uploads and one fallback: every panel's query returns a series, in both storage modes.
/// </summary>
public sealed class DashboardPrometheusTests
{
    private const string Job = "recordings-api";
    private static readonly TimeSpan ScrapeWait = TimeSpan.FromSeconds(60);

    // Panels over metrics that exist only with Supabase configured; in local-only mode they must read 0, not "No data".
    private static readonly string[] SupabaseOnlyPanels = ["Supabase error rate", "Re-syncs/s", "Supabase calls/s"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_panel_query_returns_a_series_from_a_scraped_host(bool withSupabase)
    {
        await using var supabase = withSupabase ? await SupabaseStorageTestServer.StartAsync() : null;
        var settings = new Dictionary<string, string?>
        {
            // The defaults in code name the service and the instance, as in a deployment that sets neither.
            ["OTEL_SERVICE_NAME"] = null,
            ["OTEL_RESOURCE_ATTRIBUTES"] = null,
            ["Orleans__SiloName"] = null,
            ["Recordings__SupabaseStallTimeout"] = "00:00:02",
            ["Supabase__CircuitBreakDuration"] = "00:00:01",
            ["Supabase__RequestTimeout"] = "00:00:02",
        };
        if (supabase is not null)
        {
            foreach (var (key, value) in SupabaseApiFixture.SettingsFor(supabase))
            {
                settings[key] = value;
            }
        }

        await using var api = await HostProcess.StartApiAsync(settings);
        await using var prometheus = await PrometheusServer.StartAsync(Job, $"127.0.0.1:{api.Port}");

        var uploads = await GenerateLoadAsync(api.Client, supabase);

        // The load is scraped, twice at least, so that every rate() has two samples.
        await prometheus.WaitForSeriesAsync($"sum(recordings_uploads_total{{outcome=\"success\"}}) >= {uploads}", ScrapeWait);
        await prometheus.WaitForSeriesAsync("count_over_time(recordings_uploads_total{outcome=\"success\"}[30s]) >= 2", ScrapeWait);
        await prometheus.WaitForSeriesAsync("count_over_time(http_server_request_duration_seconds_count[30s]) >= 2", ScrapeWait);

        var empty = new List<string>();
        foreach (var query in DashboardPanels.Queries())
        {
            var result = await prometheus.QueryAsync(query.Expression);
            if (result.Length == 0)
            {
                empty.Add($"{query.Panel}: {query.Expression}");
            }
            else if (supabase is null && SupabaseOnlyPanels.Any(query.Panel.StartsWith))
            {
                Assert.All(result, series => Assert.Equal("0", Value(series)));
            }
        }

        Assert.True(empty.Count == 0, "Panels without data:\n" + string.Join('\n', empty));
    }

    [Fact]
    public async Task A_host_without_otel_settings_is_named_by_its_kind_and_its_host_and_port()
    {
        await using var api = await HostProcess.StartApiAsync(new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = null,
            ["OTEL_RESOURCE_ATTRIBUTES"] = null,
            ["Orleans__SiloName"] = null,
        });
        await using var prometheus = await PrometheusServer.StartAsync(Job, $"127.0.0.1:{api.Port}");
        await api.Client.UploadOkAsync(RecordingsHttp.NewSessionId(), RecordingsHttp.RandomBytes(1000));

        var target = Assert.Single(await prometheus.WaitForSeriesAsync("target_info", ScrapeWait));
        var labels = target.GetProperty("metric");
        Assert.Equal("recordings-api", labels.Str("service_name"));
        Assert.Equal($"{Environment.MachineName}:{api.Port}", labels.Str("service_instance_id"));

        // A small upload to local disk takes milliseconds: the latency histogram has buckets down to 5 ms.
        await prometheus.WaitForSeriesAsync("recordings_upload_duration_seconds_bucket{le=\"0.005\"}", ScrapeWait);
    }

    private static string Value(JsonElement series) => series.GetProperty("value")[1].GetString()!;

    /// <summary>A few uploads and one fallback; returns how many uploads succeeded.</summary>
    private static async Task<int> GenerateLoadAsync(HttpClient client, SupabaseStorageTestServer? supabase)
    {
        var uploads = 0;
        if (supabase is not null)
        {
            // Waits for the bucket (created in the background) by uploading until one lands in Supabase.
            await SupabaseRecovery.HealAsync(supabase, client);
            uploads++;
        }

        for (var i = 0; i < 3; i++)
        {
            await client.UploadOkAsync(RecordingsHttp.NewSessionId(), RecordingsHttp.RandomBytes(64 * 1024));
            uploads++;
        }

        if (supabase is not null)
        {
            supabase.Fault = SupabaseFault.Status500;
            var fallback = await client.UploadOkAsync(RecordingsHttp.NewSessionId(), RecordingsHttp.RandomBytes(64 * 1024));
            Assert.Equal("local", fallback.Str("storage_type"));
            uploads++;
            supabase.Fault = SupabaseFault.None;
        }

        return uploads;
    }
}
