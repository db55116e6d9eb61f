using System.Diagnostics;
using Recordings.Abstractions;
using Recordings.Testing;
using Recordings.FunctionalTests.Infrastructure;

namespace Recordings.FunctionalTests.Telemetry;

[Collection(TelemetryCollection.Name)]
public sealed class TracingTests(TelemetryApiFixture fixture)
{
    // A file shorter than a chunk (256 KiB) is stored by one grain call; a larger one (1 MiB, also this bucket's size
    // limit) is streamed chunk by chunk.
    [Theory]
    [InlineData(200 * 1024, new[] { "BeginUpload", "StoreWhole", "Commit" })]
    [InlineData(1024 * 1024, new[] { "BeginUpload", "Open", "Write", "Complete", "Commit" })]
    public async Task One_upload_is_one_trace_from_the_endpoint_through_the_grains_to_supabase(int size, string[] calls)
    {
        var session = RecordingsHttp.NewSessionId();
        fixture.Spans.Clear();

        var body = await fixture.Client.UploadOkAsync(session, RecordingsHttp.RandomBytes(size));

        Assert.Equal("supabase", body.Str("storage_type"));
        var endpoint = await fixture.WaitForSpanAsync(span =>
            span.Kind == ActivityKind.Server && span.GetTagItem("url.path") as string == $"/recordings/upload/{session}");
        var trace = fixture.Spans.Snapshot().Where(span => span.TraceId == endpoint.TraceId).ToList();

        // The grain calls the upload makes, each a span in the request's trace.
        foreach (var call in calls)
        {
            Assert.Contains(trace, span => span.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && span.DisplayName.EndsWith(call, StringComparison.Ordinal));
        }

        // The streamed POST to Supabase Storage, made by the upload grain.
        var objectPrefix = $"{fixture.Supabase.Url}/storage/v1/object/{SupabaseApiFixture.Bucket}/{session}/";
        Assert.Contains(trace, span => span.Kind == ActivityKind.Client && span.Source.Name == "System.Net.Http"
            && (span.GetTagItem("url.full") as string ?? string.Empty).StartsWith(objectPrefix, StringComparison.Ordinal));

        // Connected: one root (the test's own HttpClient call, instrumented too), every other span hangs off a span
        // of the same trace.
        var spanIds = trace.Select(span => span.SpanId).ToHashSet();
        var describe = string.Join('\n', trace.Select(span => $"{span.Source.Name} {span.DisplayName} {span.SpanId} <- {span.ParentSpanId}"));
        Assert.True(trace.Count(span => !spanIds.Contains(span.ParentSpanId)) == 1, describe);
        Assert.Contains(endpoint.ParentSpanId, spanIds.Append(default));

        // And the only trace: no grain call of this upload started one of its own.
        Assert.DoesNotContain(fixture.Spans.Snapshot(), span => span.TraceId != endpoint.TraceId
            && span.DisplayName.Contains("IUploadGrain", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_span_or_log_record_carries_the_supabase_key()
    {
        fixture.Spans.Clear();
        fixture.LogTexts.Clear();
        await fixture.Client.UploadOkAsync(RecordingsHttp.NewSessionId(), RecordingsHttp.RandomBytes(1000));
        await fixture.Supabase.RefuseConnectionsAsync();
        try
        {
            await fixture.Client.UploadOkAsync(RecordingsHttp.NewSessionId(), RecordingsHttp.RandomBytes(1000));
        }
        finally
        {
            await fixture.HealAsync();
        }

        var key = fixture.Supabase.ServiceRoleKey;
        Assert.NotEmpty(fixture.LogTexts.Snapshot());
        Assert.DoesNotContain(fixture.LogTexts.Snapshot(), text => text.Contains(key, StringComparison.Ordinal));
        var spanTexts = fixture.Spans.Snapshot()
            .SelectMany(span => span.TagObjects.Select(tag => $"{tag.Value}").Append(span.DisplayName))
            .ToList();
        Assert.NotEmpty(spanTexts);
        Assert.DoesNotContain(spanTexts, text => text.Contains(key, StringComparison.Ordinal));
    }
}
