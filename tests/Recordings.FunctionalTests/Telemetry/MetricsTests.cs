using OpenTelemetry;
using OpenTelemetry.Metrics;
using Recordings.Abstractions;
using Recordings.Testing;
using Recordings.FunctionalTests.Infrastructure;

namespace Recordings.FunctionalTests.Telemetry;

[Collection(TelemetryCollection.Name)]
public sealed class MetricsTests(TelemetryApiFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.HealAsync();

    public Task DisposeAsync() => fixture.HealAsync();

    public static TheoryData<string, string> Faults => new()
    {
        { "refused", "refused" },
        { "status500", "server_error" },
        { "stall", "stalled" },
        { "too_large", "too_large" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_fallback_moves_the_fallback_counter_by_reason_and_the_backlog_gauge(string fault, string reason)
    {
        var before = fixture.CollectMetrics();
        await BreakSupabaseAsync(fault);

        var size = fault == "too_large" ? (int)TelemetryApiFixture.BucketSizeLimit + 1 : 300 * 1024;
        var body = await fixture.Client.UploadOkAsync(RecordingsHttp.NewSessionId(), RecordingsHttp.RandomBytes(size));

        Assert.Equal("local", body.Str("storage_type"));
        var after = fixture.CollectMetrics();
        Assert.Equal(1, Sum(after, "recordings.fallbacks", ("reason", reason)) - Sum(before, "recordings.fallbacks", ("reason", reason)));
        Assert.Equal(1, Gauge(after, "recordings.local.backlog") - Gauge(before, "recordings.local.backlog"));
        Assert.Equal(1, Sum(after, "recordings.uploads", ("outcome", "success"), ("storage_type", "local"))
            - Sum(before, "recordings.uploads", ("outcome", "success"), ("storage_type", "local")));
    }

    [Fact]
    public async Task An_upload_to_supabase_is_counted_with_its_bytes_duration_and_supabase_call()
    {
        var before = fixture.CollectMetrics();

        await fixture.Client.UploadOkAsync(RecordingsHttp.NewSessionId(), RecordingsHttp.RandomBytes(5000));

        var after = fixture.CollectMetrics();
        (string, string)[] stored = [("outcome", "success"), ("storage_type", "supabase")];
        Assert.Equal(1, Sum(after, "recordings.uploads", stored) - Sum(before, "recordings.uploads", stored));
        Assert.Equal(5000, Sum(after, "recordings.upload.bytes", ("storage_type", "supabase")) - Sum(before, "recordings.upload.bytes", ("storage_type", "supabase")));
        Assert.Equal(1, HistogramCount(after, "recordings.upload.duration", stored) - HistogramCount(before, "recordings.upload.duration", stored));
        Assert.Equal(1, Sum(after, "recordings.supabase.requests", ("operation", "upload"), ("status", "200"))
            - Sum(before, "recordings.supabase.requests", ("operation", "upload"), ("status", "200")));
        Assert.Equal(0, Sum(after, "recordings.uploads.active"));
    }

    [Fact]
    public async Task The_scrape_endpoint_serves_the_instruments_the_dashboard_reads()
    {
        await fixture.Client.UploadOkAsync(RecordingsHttp.NewSessionId(), RecordingsHttp.RandomBytes(1000));

        var scrape = await fixture.Client.GetStringAsync("/metrics");

        foreach (var series in new[]
        {
            "recordings_uploads_total{", "recordings_upload_bytes_total{", "recordings_upload_duration_seconds_bucket{",
            "recordings_local_backlog", "recordings_supabase_requests_total{", "recordings_uploads_active",
            "orleans_catalog_activations", "http_server_request_duration_seconds_bucket{",
        })
        {
            Assert.Contains(series, scrape);
        }
    }

    private async Task BreakSupabaseAsync(string fault)
    {
        switch (fault)
        {
            case "refused":
                await fixture.Supabase.RefuseConnectionsAsync();
                break;
            case "status500":
                fixture.Supabase.Fault = SupabaseFault.Status500;
                break;
            case "stall":
                fixture.Supabase.Fault = SupabaseFault.Stall;
                break;
            case "too_large":
                // Nothing to break: the upload is larger than the bucket's file_size_limit.
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, null);
        }
    }

    private static IEnumerable<MetricPoint> Points(IReadOnlyList<MetricSnapshot> metrics, string name, (string Key, string Value)[] tags) =>
        metrics.Where(metric => metric.Name == name)
            .SelectMany(metric => metric.MetricPoints)
            .Where(point => tags.All(tag => HasTag(point, tag)));

    private static bool HasTag(MetricPoint point, (string Key, string Value) wanted)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == wanted.Key)
            {
                return Equals(tag.Value as string, wanted.Value);
            }
        }

        return false;
    }

    private static long Sum(IReadOnlyList<MetricSnapshot> metrics, string name, params (string Key, string Value)[] tags) =>
        Points(metrics, name, tags).Sum(point => point.GetSumLong());

    private static long Gauge(IReadOnlyList<MetricSnapshot> metrics, string name) =>
        Points(metrics, name, []).Sum(point => point.GetGaugeLastValueLong());

    private static long HistogramCount(IReadOnlyList<MetricSnapshot> metrics, string name, params (string Key, string Value)[] tags) =>
        Points(metrics, name, tags).Sum(point => point.GetHistogramCount());
}
