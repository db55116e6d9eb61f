using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;

namespace Recordings.FunctionalTests.Resumable;

/// <summary>
/// The relay to Supabase's own resumable upload on the one-machine host: an upload over 6 MiB becomes its object
/// through it, and a Supabase that stalls mid-upload costs the relay, never a byte nor more than the time budget.
/// </summary>
public sealed class ResumableRelayTests(ResumableRelayTests.RelayApiFixture fixture) : IClassFixture<ResumableRelayTests.RelayApiFixture>
{
    private const int Part = 6 * 1024 * 1024;
    private const int Chunk = 5_000_000;

    [Fact]
    public async Task An_upload_over_6_MiB_becomes_its_object_through_supabases_resumable_upload()
    {
        var data = RandomNumberGenerator.GetBytes(2 * Part + 3_000_001);
        var url = await fixture.Client.CreateOkAsync(RecordingsHttp.NewSessionId(), data.Length);
        for (var offset = 0; offset < data.Length; offset += Chunk)
        {
            using var patch = await fixture.Client.PatchAsync(url, offset, data[offset..Math.Min(offset + Chunk, data.Length)]);
            Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
        }

        var (_, answer) = await fixture.Client.GetJsonAsync(url);
        Assert.Equal("supabase", answer.Str("storage_type"));
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(data));
        Assert.Equal(sha256, answer.Str("sha256"));
        Assert.Equal(sha256, Assert.Single(fixture.Supabase.Objects(SupabaseApiFixture.Bucket), o => o.Path == answer.Str("file_path")).Sha256Hex);
        Assert.Contains(fixture.Supabase.ResumableUploads, relayed => relayed.Length == data.Length && relayed.Completed);
        Assert.DoesNotContain(fixture.Supabase.RequestLines, line => line.StartsWith("POST /storage/v1/object/", StringComparison.Ordinal) && line.EndsWith(answer.Str("file_path"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_supabase_stalling_mid_upload_costs_one_time_budget_and_the_upload_finishes_from_the_spool()
    {
        var data = RandomNumberGenerator.GetBytes(2 * Part + 4_000_003);
        var url = await fixture.Client.CreateOkAsync(RecordingsHttp.NewSessionId(), data.Length);
        using (var first = await fixture.Client.PatchAsync(url, 0, data[..(Part + 1000)]))
        {
            Assert.Equal(Part + 1000, first.Offset());
        }

        Assert.Contains(fixture.Supabase.ResumableUploads, relayed => relayed.Length == data.Length && relayed.Offset == Part);
        fixture.Supabase.Fault = SupabaseFault.Stall;
        try
        {
            // This PATCH completes a second part, which Supabase never takes: answered within the stall timeout (2 s).
            var started = Stopwatch.GetTimestamp();
            using (var second = await fixture.Client.PatchAsync(url, Part + 1000, data[(Part + 1000)..(2 * Part + 1000)]))
            {
                Assert.Equal(2 * Part + 1000, second.Offset());
            }

            Assert.InRange(Stopwatch.GetElapsedTime(started), TimeSpan.Zero, TimeSpan.FromSeconds(6));
            using var last = await fixture.Client.PatchAsync(url, 2 * Part + 1000, data[(2 * Part + 1000)..]);
            Assert.Equal(HttpStatusCode.NoContent, last.StatusCode);
        }
        finally
        {
            fixture.Supabase.Fault = SupabaseFault.None;
        }

        var (_, answer) = await fixture.Client.GetJsonAsync(url);
        Assert.Equal("local", answer.Str("storage_type"));
        Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(fixture.Api.RecordingsDirectory, answer.Str("file_path"))));
        Assert.Contains(fixture.Supabase.ResumableUploads, relayed => relayed.Length == data.Length && relayed.Offset == Part && !relayed.Completed);
    }

    /// <summary>The one-machine host with Supabase and a 2 s stall timeout.</summary>
    public sealed class RelayApiFixture : SupabaseApiFixture
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["Recordings__SupabaseStallTimeout"] = "00:00:02",
            ["Supabase__CircuitBreakDuration"] = "00:00:01",
            ["Supabase__RequestTimeout"] = "00:00:02",
        };
    }
}
