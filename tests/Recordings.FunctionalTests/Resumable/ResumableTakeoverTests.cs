using System.Net;
using System.Security.Cryptography;
using Recordings.Abstractions;

namespace Recordings.FunctionalTests.Resumable;

/// <summary>
/// Resumable uploads outlive the silo receiving them whenever Supabase is reachable: their whole 6 MiB parts are
/// relayed to Supabase's own resumable upload, and another silo continues from Supabase's offset after a kill -9 or a
/// drain (SIGTERM). With Supabase stalled at that moment the upload answers 404, never a wrong offset.
/// </summary>
public sealed class ResumableTakeoverTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private const int Part = 6 * 1024 * 1024;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task After_a_kill_of_its_silo_an_upload_continues_through_another_api_host_from_supabases_offset()
    {
        await using var otherApi = await HostProcess.StartApiAsync(fixture.CommonSettings());
        var upload = await StartRelayedUploadAsync(extra: 11);
        var holder = HolderOf(upload.Url);
        await holder.KillAsync();
        try
        {
            await WaitForOffsetAsync(otherApi.Client, upload.Url, Upload.Relayed);
            await FinishAndVerifyAsync(otherApi.Client, upload);
        }
        finally
        {
            await holder.StartAgainAsync();
        }
    }

    [Fact]
    public async Task A_draining_silo_leaves_its_upload_to_another_silo_from_supabases_offset()
    {
        var upload = await StartRelayedUploadAsync(extra: 22);
        var holder = HolderOf(upload.Url);
        await holder.SignalTerminateAsync();
        try
        {
            Assert.Equal(0, await holder.WaitForExitAsync(TimeSpan.FromSeconds(90)));
            await WaitForOffsetAsync(fixture.Client, upload.Url, Upload.Relayed);
            await FinishAndVerifyAsync(fixture.Client, upload);
        }
        finally
        {
            await holder.StartAgainAsync();
        }
    }

    [Fact]
    public async Task With_supabase_stalled_when_its_silo_dies_an_upload_answers_404_and_continues_once_supabase_answers()
    {
        var upload = await StartRelayedUploadAsync(extra: 33);
        var holder = HolderOf(upload.Url);
        fixture.Supabase.Fault = SupabaseFault.Stall;
        await holder.KillAsync();
        try
        {
            var until = DateTime.UtcNow + Deadline;
            while (true)
            {
                using var head = await fixture.Client.HeadAsync(upload.Url);
                Assert.NotEqual(HttpStatusCode.OK, head.StatusCode);
                if (head.StatusCode == HttpStatusCode.NotFound)
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < until, $"HEAD still answers {(int)head.StatusCode} after {Deadline.TotalSeconds} s");
                await Task.Delay(200);
            }

            fixture.Supabase.Fault = SupabaseFault.None;
            await WaitForOffsetAsync(fixture.Client, upload.Url, Upload.Relayed);
            await FinishAndVerifyAsync(fixture.Client, upload);
        }
        finally
        {
            fixture.Supabase.Fault = SupabaseFault.None;
            await holder.StartAgainAsync();
        }
    }

    /// <summary>An upload with two whole parts in Supabase and a megabyte more only on its silo's disk.</summary>
    private async Task<Upload> StartRelayedUploadAsync(int extra)
    {
        var data = RandomNumberGenerator.GetBytes(3 * Part + extra);
        var url = await fixture.Client.CreateOkAsync(RecordingsHttp.NewSessionId(), data.Length);
        var acknowledged = (int)Upload.Relayed + 1_000_000;
        using (var first = await fixture.Client.PatchAsync(url, 0, data[..Part]))
        {
            Assert.Equal(Part, first.Offset());
        }

        using (var second = await fixture.Client.PatchAsync(url, Part, data[Part..acknowledged]))
        {
            Assert.Equal(acknowledged, second.Offset());
        }

        // Relayed before the PATCH was answered.
        Assert.Contains(fixture.Supabase.ResumableUploads, relayed => relayed.Length == data.Length && relayed.Offset == Upload.Relayed);
        return new Upload(url, data);
    }

    private HostProcess HolderOf(string url) => fixture.SiloNamed(ResumableUploadId.SiloOf(url.Split('/').Last()));

    // Until the cluster declares the silo dead a call may fail (5xx); an answer with an offset must be Supabase's.
    private static async Task WaitForOffsetAsync(HttpClient client, string url, long expected)
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            using var head = await client.HeadAsync(url);
            Assert.NotEqual(HttpStatusCode.NotFound, head.StatusCode);
            if (head.StatusCode == HttpStatusCode.OK)
            {
                Assert.Equal(expected, head.Offset());
                return;
            }

            Assert.True(DateTime.UtcNow < until, $"HEAD still answers {(int)head.StatusCode} after {Deadline.TotalSeconds} s");
            await Task.Delay(200);
        }
    }

    private async Task FinishAndVerifyAsync(HttpClient client, Upload upload)
    {
        using var last = await client.PatchAsync(upload.Url, Upload.Relayed, upload.Data[(int)Upload.Relayed..]);
        Assert.True(last.StatusCode == HttpStatusCode.NoContent, $"PATCH answered {(int)last.StatusCode}: {await last.Content.ReadAsStringAsync()}");
        var filePath = last.Header("Recording-File-Path");
        var (_, answer) = await client.GetJsonAsync(upload.Url);
        Assert.Equal("supabase", answer.Str("storage_type"));
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(upload.Data));
        Assert.Equal(sha256, answer.Str("sha256"));
        var stored = Assert.Single(fixture.Supabase.Objects(ClusterFixture.Bucket), o => o.Path == filePath);
        Assert.Equal((upload.Data.Length, sha256), (stored.Size, stored.Sha256Hex));
    }

    private sealed record Upload(string Url, byte[] Data)
    {
        public const long Relayed = 2L * Part;
    }
}
