using System.Net;
using Recordings.FunctionalTests.Infrastructure;

namespace Recordings.FunctionalTests.Api;

/// <summary>
/// Issue 13: an API host holds at most Recordings__UploadMemoryBytes of upload bodies. With room for one 700 KB file,
/// a second upload waits before its body is read (nothing of it sent to Supabase) while the first is stuck on a stalled Supabase,
/// is counted by recordings_upload_memory_waiting, and goes on once the first is answered. A small file counts as the
/// pooled array it is held in (the next power of two), not its length: a 600 KB file fills the 1 MiB budget too.
/// Kestrel reads no more than a request head of a waiting upload: its body stays in the socket.
/// </summary>
public sealed class UploadMemoryBudgetTests(UploadMemoryBudgetTests.OneFileBudgetFixture fixture)
    : IClassFixture<UploadMemoryBudgetTests.OneFileBudgetFixture>
{
    public sealed class OneFileBudgetFixture : SupabaseApiFixture
    {
        // 1 MiB chunks keep a 700 KB file whole in memory; the 1 MiB budget has room for one such file.
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["Recordings__ChunkBytes"] = "1048576",
            ["Recordings__UploadMemoryBytes"] = "1048576",
        };
    }

    [Theory]
    [InlineData(700_000, 700_000)]
    [InlineData(600_000, 100_000)]
    public async Task A_second_upload_waits_for_the_budget_and_is_stored_once_the_first_is_answered(int firstBytes, int secondBytes)
    {
        var supabase = fixture.Supabase;
        var first = RecordingsHttp.RandomBytes(firstBytes);
        var second = RecordingsHttp.RandomBytes(secondBytes);
        var (firstSession, secondSession) = (RecordingsHttp.NewSessionId(), RecordingsHttp.NewSessionId());
        // The count only grows (the fixture's server serves every case of this class).
        var stalledBefore = supabase.StalledRequests.Count;
        supabase.Fault = SupabaseFault.Stall;
        try
        {
            var firstUpload = fixture.Client.UploadAsync(firstSession, first);
            await Poll.UntilAsync(() => supabase.StalledRequests.Count >= stalledBefore + 1, TimeSpan.FromSeconds(10));

            var secondUpload = fixture.Client.UploadAsync(secondSession, second);
            await Poll.UntilAsync(async () => await WaitingAsync() == 1, TimeSpan.FromSeconds(10));
            Assert.Equal(stalledBefore + 1, supabase.StalledRequests.Count);
            Assert.DoesNotContain(supabase.RequestLines, line => line.Contains(secondSession, StringComparison.Ordinal));

            // Supabase answers the first (500: it is kept locally); the second gets its room and is stored.
            supabase.Fault = SupabaseFault.None;
            var (firstStatus, firstBody) = await firstUpload;
            var (secondStatus, secondBody) = await secondUpload;

            Assert.True(firstStatus == HttpStatusCode.OK, $"{(int)firstStatus}: {firstBody}");
            Assert.True(secondStatus == HttpStatusCode.OK, $"{(int)secondStatus}: {secondBody}");
            Assert.Equal(secondBytes, secondBody.GetProperty("file_size").GetInt64());
            Assert.Equal([secondBody.Str("filename")], (await fixture.Client.ListAsync(secondSession)).Filenames());
            await Poll.UntilAsync(async () => await WaitingAsync() == 0, TimeSpan.FromSeconds(10));
        }
        finally
        {
            supabase.Fault = SupabaseFault.None;
        }
    }

    [Fact]
    public async Task Uploads_waiting_for_the_budget_are_not_read_ahead_into_the_host()
    {
        const int Waiting = 8;
        const int BodyBytes = 512 * 1024;
        var supabase = fixture.Supabase;
        var stalledBefore = supabase.StalledRequests.Count;
        var waitingBefore = await WaitingAsync();
        supabase.Fault = SupabaseFault.Stall;
        try
        {
            var holder = fixture.Client.UploadAsync(RecordingsHttp.NewSessionId(), RecordingsHttp.RandomBytes(700_000));
            await Poll.UntilAsync(() => supabase.StalledRequests.Count >= stalledBefore + 1, TimeSpan.FromSeconds(10));

            var bodies = Enumerable.Range(0, Waiting).Select(_ => new CountedContent(RecordingsHttp.RandomBytes(BodyBytes))).ToArray();
            var uploads = bodies.Select(body => PostAsync(RecordingsHttp.NewSessionId(), body)).ToArray();
            await Poll.UntilAsync(async () => await WaitingAsync() == waitingBefore + Waiting, TimeSpan.FromSeconds(10));
            // Every byte is in the sockets (the kernel's buffers take it), none of it asked for by a handler.
            await Poll.UntilAsync(() => bodies.All(body => body.BytesSent == BodyBytes), TimeSpan.FromSeconds(10));

            // Kestrel holds a request head (at most 16 KiB) of each and stops reading: the body waits in the socket.
            var held = await KestrelBytesInUseAsync();
            Assert.True(held < Waiting * 64 * 1024, $"Kestrel holds {held:N0} bytes for {Waiting} waiting uploads of {BodyBytes:N0}");

            supabase.Fault = SupabaseFault.None;
            Assert.Equal(HttpStatusCode.OK, (await holder).Status);
            foreach (var upload in uploads)
            {
                Assert.Equal(HttpStatusCode.OK, await upload);
            }
        }
        finally
        {
            supabase.Fault = SupabaseFault.None;
        }
    }

    private async Task<HttpStatusCode> PostAsync(string sessionId, CountedContent body)
    {
        using var form = new MultipartFormDataContent { { body, "recording", "interview.webm" } };
        using var response = await fixture.Client.PostAsync($"/recordings/upload/{sessionId}", form);
        return response.StatusCode;
    }

    /// <summary>A file part sent 16 KiB at a time, counting what the socket has taken.</summary>
    private sealed class CountedContent(byte[] data) : HttpContent
    {
        private const int SliceBytes = 16 * 1024;
        private long sent;

        public long BytesSent => Interlocked.Read(ref sent);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < data.Length; offset += SliceBytes)
            {
                var length = Math.Min(SliceBytes, data.Length - offset);
                await stream.WriteAsync(data.AsMemory(offset, length));
                await stream.FlushAsync();
                Interlocked.Add(ref sent, length);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = data.Length;
            return true;
        }
    }

    // The blocks Kestrel has allocated and not given back to its pool nor freed: what it holds right now.
    private async Task<long> KestrelBytesInUseAsync()
    {
        var scrape = await fixture.Client.GetStringAsync("/metrics");
        var allocated = (long)PrometheusScrape.Sum(scrape, "aspnetcore_memory_pool_allocated_bytes_total");
        Assert.True(allocated > 0, "aspnetcore_memory_pool_allocated is not on /metrics");
        return allocated - (long)PrometheusScrape.Sum(scrape, "aspnetcore_memory_pool_evicted_bytes_total")
            - (long)PrometheusScrape.Sum(scrape, "aspnetcore_memory_pool_pooled_bytes");
    }

    private async Task<long> WaitingAsync()
    {
        const string Gauge = "recordings_upload_memory_waiting";
        var scrape = await fixture.Client.GetStringAsync("/metrics");
        Assert.True(PrometheusScrape.Series(scrape, Gauge).Any(), $"{Gauge} is not on /metrics");
        return (long)PrometheusScrape.Sum(scrape, Gauge);
    }
}
