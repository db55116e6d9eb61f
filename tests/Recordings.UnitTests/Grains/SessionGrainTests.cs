using Orleans.TestingHost;
using Recordings.Abstractions;
using Recordings.Testing;
using Recordings.Grains.Sessions;
using Recordings.Grains.Uploads;

namespace Recordings.UnitTests.Grains;

public sealed class SessionGrainTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private TestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Concurrent_begins_in_one_second_get_distinct_names()
    {
        var session = Cluster.GrainFactory.GetGrain<ISessionGrain>(RecordingsHttp.NewSessionId());

        var tickets = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => session.BeginUpload("session", "webm", "video/webm")));

        Assert.Equal(50, tickets.Select(t => t.Filename).Distinct().Count());
    }

    [Fact]
    public async Task An_upload_through_the_grains_is_stored_in_supabase_and_committed()
    {
        var sessionId = RecordingsHttp.NewSessionId();
        var data = RecordingsHttp.RandomBytes(2_500_000);

        var outcome = await UploadAsync(sessionId, data);

        Assert.Null(outcome.FallbackReason);
        Assert.Equal(StorageType.Supabase, outcome.Record.Storage);
        Assert.Equal(data.Length, fixture.Supabase.Objects("interview-recordings").Single(o => o.Path == $"{sessionId}/{outcome.Record.Filename}").Size);
        var listed = await Cluster.GrainFactory.GetGrain<ISessionGrain>(sessionId).List();
        Assert.Equal(outcome.Record, Assert.Single(listed));
    }

    [Fact]
    public async Task Session_state_survives_deactivation()
    {
        var sessionId = RecordingsHttp.NewSessionId();
        var outcome = await UploadAsync(sessionId, RecordingsHttp.RandomBytes(1000));

        await Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var latest = await Cluster.GrainFactory.GetGrain<ISessionGrain>(sessionId).GetLatest();
        Assert.Equal(outcome.Record, latest);
    }

    [Fact]
    public async Task Reads_do_not_wait_behind_a_delete_stuck_on_supabase()
    {
        var sessionId = RecordingsHttp.NewSessionId();
        var outcome = await UploadAsync(sessionId, RecordingsHttp.RandomBytes(1000));
        var session = Cluster.GrainFactory.GetGrain<ISessionGrain>(sessionId);

        fixture.Supabase.Fault = SupabaseFault.Stall;
        try
        {
            var deletesBefore = DeleteRequests();
            var delete = session.Delete(outcome.Record.Filename);
            // The delete is stuck once Supabase has its request (and never answers it).
            await Poll.UntilAsync(() => DeleteRequests() > deletesBefore, TimeSpan.FromSeconds(10));

            var listed = await session.List().WaitAsync(TimeSpan.FromSeconds(5));

            Assert.False(delete.IsCompleted);
            Assert.Single(listed);
        }
        finally
        {
            fixture.Supabase.Fault = SupabaseFault.None;
        }
    }

    [Fact]
    public async Task An_aborted_upload_leaves_no_spool_file_and_no_record()
    {
        var sessionId = RecordingsHttp.NewSessionId();
        var session = Cluster.GrainFactory.GetGrain<ISessionGrain>(sessionId);
        var ticket = await session.BeginUpload("session", "webm", "video/webm");
        var upload = Cluster.GrainFactory.GetGrain<IUploadGrain>(Guid.NewGuid());
        await upload.Open(ticket);
        await upload.Write(RecordingsHttp.RandomBytes(1000));

        await upload.Abort();
        await session.Release(ticket.Filename);

        Assert.Empty(Directory.GetFiles(Path.Combine(fixture.RecordingsDirectory, "~spool")));
        Assert.Empty(await session.List());
        Assert.False(fixture.Supabase.Exists("interview-recordings", ticket.ObjectPath));
    }

    private int DeleteRequests() => fixture.Supabase.RequestLines.Count(line => line.StartsWith("DELETE ", StringComparison.Ordinal));

    private async Task<UploadOutcome> UploadAsync(string sessionId, byte[] data)
    {
        var session = Cluster.GrainFactory.GetGrain<ISessionGrain>(sessionId);
        var ticket = await session.BeginUpload("session", "webm", "video/webm");
        var upload = Cluster.GrainFactory.GetGrain<IUploadGrain>(Guid.NewGuid());
        await upload.Open(ticket);
        const int chunk = 1024 * 1024;
        for (var offset = 0; offset < data.Length; offset += chunk)
        {
            var count = Math.Min(chunk, data.Length - offset);
            await upload.Write(data.AsMemory(offset, count));
        }

        return await upload.Complete(ticket);
    }
}
