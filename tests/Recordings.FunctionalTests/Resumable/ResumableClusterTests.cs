using System.Net;
using System.Security.Cryptography;
using Recordings.Abstractions;

namespace Recordings.FunctionalTests.Resumable;

/// <summary>Resumable uploads in a cluster: any API host continues an upload; while the silo holding its spool is gone the
/// upload answers 404 (never a wrong offset), and it continues once that silo is back.</summary>
public sealed class ResumableClusterTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_upload_started_through_one_api_host_finishes_through_another()
    {
        await using var otherApi = await HostProcess.StartApiAsync(fixture.CommonSettings());
        var session = RecordingsHttp.NewSessionId();
        var data = RandomNumberGenerator.GetBytes(3_000_000);

        var url = await fixture.Client.CreateOkAsync(session, data.Length);
        using (var first = await fixture.Client.PatchAsync(url, 0, data[..1_000_000]))
        {
            Assert.Equal(1_000_000, first.Offset());
        }

        using (var head = await otherApi.Client.HeadAsync(url))
        {
            Assert.Equal(1_000_000, head.Offset());
        }

        using var last = await otherApi.Client.PatchAsync(url, 1_000_000, data[1_000_000..]);
        Assert.Equal(HttpStatusCode.NoContent, last.StatusCode);
        var filePath = last.Header("Recording-File-Path");
        var (_, answer) = await fixture.Client.GetJsonAsync(url);
        Assert.Equal("supabase", answer.Str("storage_type"));
        var stored = Assert.Single(fixture.Supabase.Objects(ClusterFixture.Bucket), o => o.Path == filePath);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), stored.Sha256Hex);
    }

    [Fact]
    public async Task While_the_silo_holding_an_upload_is_gone_it_answers_404_and_it_resumes_when_that_silo_returns()
    {
        var session = RecordingsHttp.NewSessionId();
        var data = RandomNumberGenerator.GetBytes(2_000_000);
        var url = await fixture.Client.CreateOkAsync(session, data.Length);
        using (var first = await fixture.Client.PatchAsync(url, 0, data[..700_000]))
        {
            Assert.Equal(700_000, first.Offset());
        }

        var holder = fixture.SiloNamed(ResumableUploadId.SiloOf(url.Split('/').Last()));
        await holder.KillAsync();
        try
        {
            var until = DateTime.UtcNow + Deadline;
            while (true)
            {
                using var head = await fixture.Client.HeadAsync(url);
                // Until the cluster declares the silo dead a call may fail (503); an answer with an offset is never wrong.
                if (head.StatusCode == HttpStatusCode.OK)
                {
                    Assert.Equal(700_000, head.Offset());
                }

                if (head.StatusCode == HttpStatusCode.NotFound)
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < until, $"HEAD still answers {(int)head.StatusCode} after {Deadline.TotalSeconds} s");
                await Task.Delay(200);
            }
        }
        finally
        {
            await holder.StartAgainAsync();
        }

        using (var head = await fixture.Client.HeadAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(700_000, head.Offset());
        }

        using var last = await fixture.Client.PatchAsync(url, 700_000, data[700_000..]);
        Assert.Equal(HttpStatusCode.NoContent, last.StatusCode);
        var stored = Assert.Single(fixture.Supabase.Objects(ClusterFixture.Bucket), o => o.Path == last.Header("Recording-File-Path"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), stored.Sha256Hex);
    }
}
