using System.Text.Json;

namespace Recordings.FunctionalTests.Resync;

/// <summary>
/// Issue 8 item 10: a re-sync pass that fails (Supabase answering 500) is logged at Warning, read from the host's own
/// log lines (the JSON console formatter, one entry per line with its level).
/// </summary>
public sealed class ResyncLoggingTests(ResyncLoggingTests.Host fixture) : IClassFixture<ResyncLoggingTests.Host>
{
    public sealed class Host : SupabaseApiFixture
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["Logging__Console__FormatterName"] = "json",
            ["Resync__Interval"] = "00:00:01",
            ["Resync__MaxBackoff"] = "00:00:02",
            ["Supabase__CircuitBreakDuration"] = "00:00:01",
        };
    }

    [Fact]
    public async Task A_failed_resync_pass_is_logged_at_warning()
    {
        fixture.Supabase.Fault = SupabaseFault.Status500;
        try
        {
            var body = await fixture.Client.UploadOkAsync(RecordingsHttp.NewSessionId(), RecordingsHttp.RandomBytes(5_000));
            Assert.Equal("local", body.Str("storage_type"));

            var deadline = DateTime.UtcNow.AddSeconds(30);
            JsonElement? entry;
            while ((entry = ResyncFailure()) is null)
            {
                Assert.True(DateTime.UtcNow < deadline, "no failed re-sync pass was logged within 30 s");
                await Task.Delay(100);
            }

            Assert.Equal("Warning", entry.Value.Str("LogLevel"));
            Assert.Equal("Recordings.Grains.Resync.LocalResyncService", entry.Value.Str("Category"));
        }
        finally
        {
            fixture.Supabase.Fault = SupabaseFault.None;
        }
    }

    private JsonElement? ResyncFailure()
    {
        foreach (var line in fixture.Api.Output.Split('\n').Where(line => line.StartsWith('{')))
        {
            var entry = JsonDocument.Parse(line).RootElement;
            if (entry.TryGetProperty("Message", out var message) && message.GetString()!.StartsWith("Re-sync paused", StringComparison.Ordinal))
            {
                return entry.Clone();
            }
        }

        return null;
    }
}
