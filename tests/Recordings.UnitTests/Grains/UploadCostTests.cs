using Recordings.Abstractions;
using Recordings.Testing;

namespace Recordings.UnitTests.Grains;

/// <summary>
/// Issue 13 at the grain level: what one upload costs its session and the silo's disk, on the real grains and the
/// real file grain storage.
/// </summary>
public sealed class UploadCostTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private const string Bucket = "interview-recordings";

    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    [Fact]
    public async Task An_upload_costs_its_session_one_state_write_whether_whole_or_streamed()
    {
        var sessionId = RecordingsHttp.NewSessionId();
        var session = Grains.GetGrain<ISessionGrain>(sessionId);

        var whole = await StoreWholeAsync(session, RecordingsHttp.RandomBytes(64 * 1024));
        Assert.Equal(1, fixture.GrainStorageSwitches.WritesOf(session.GetGrainId()));

        var streamed = await GrainUploads.UploadAsync(Grains, sessionId, RecordingsHttp.RandomBytes(3 * 1024 * 1024));
        Assert.Equal(2, fixture.GrainStorageSwitches.WritesOf(session.GetGrainId()));

        Assert.Equal(new[] { streamed.Record.Filename, whole.Record.Filename }.Order(), (await session.List()).Select(r => r.Filename).Order());
    }

    [Fact]
    public async Task A_whole_upload_supabase_takes_never_touches_the_silos_disk()
    {
        var spool = Path.Combine(fixture.RecordingsDirectory, "~spool");
        var created = new List<string>();
        using var watcher = new FileSystemWatcher(spool) { EnableRaisingEvents = true };
        var controlSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.Created += (_, e) =>
        {
            lock (created)
            {
                created.Add(e.FullPath);
            }

            controlSeen.TrySetResult();
        };

        var data = RecordingsHttp.RandomBytes(200_000);
        var outcome = await StoreWholeAsync(Grains.GetGrain<ISessionGrain>(RecordingsHttp.NewSessionId()), data);
        Assert.Equal(StorageType.Supabase, outcome.Record.Storage);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data)), outcome.Record.Sha256);

        // A control upload that must spool (a streamed one): its creation event comes after any the first one caused.
        await GrainUploads.UploadAsync(Grains, RecordingsHttp.NewSessionId(), RecordingsHttp.RandomBytes(2 * 1024 * 1024));
        await controlSeen.Task.WaitAsync(TimeSpan.FromSeconds(10));
        lock (created)
        {
            Assert.Single(created);
        }
    }

    [Fact]
    public async Task A_whole_upload_supabase_refuses_is_kept_locally_byte_for_byte()
    {
        var sessionId = RecordingsHttp.NewSessionId();
        var data = RecordingsHttp.RandomBytes(100_000);
        fixture.Supabase.Fault = SupabaseFault.Status500;
        UploadOutcome outcome;
        try
        {
            outcome = await StoreWholeAsync(Grains.GetGrain<ISessionGrain>(sessionId), data);
        }
        finally
        {
            fixture.Supabase.Fault = SupabaseFault.None;
        }

        Assert.Equal(StorageType.Local, outcome.Record.Storage);
        Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(fixture.RecordingsDirectory, sessionId, outcome.Record.Filename)));
        Assert.False(fixture.Supabase.Exists(Bucket, $"{sessionId}/{outcome.Record.Filename}"));
        Assert.Empty(Directory.GetFiles(Path.Combine(fixture.RecordingsDirectory, "~spool")));
    }

    [Fact]
    public async Task A_reservation_kept_in_memory_outlives_idle_collection_while_its_upload_streams()
    {
        var session = Grains.GetGrain<ISessionGrain>(RecordingsHttp.NewSessionId());
        var ticket = await session.BeginUpload("session", "webm", "video/webm");

        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        Assert.NotNull(await session.ReservedSince(ticket.Filename));
        await session.Release(ticket.Filename);
        Assert.Null(await session.ReservedSince(ticket.Filename));
    }

    private async Task<UploadOutcome> StoreWholeAsync(ISessionGrain session, byte[] data)
    {
        var ticket = await session.BeginUpload("session", "webm", "video/webm");
        return await Grains.GetGrain<IUploadGrain>(Guid.NewGuid()).StoreWhole(ticket, data);
    }
}
