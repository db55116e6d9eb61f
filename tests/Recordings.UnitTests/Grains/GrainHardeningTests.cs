using System.Diagnostics;
using Microsoft.Extensions.Options;
using Recordings.Abstractions;
using Recordings.Grains.Sessions;
using Recordings.Grains.Uploads;
using Recordings.Supabase;

namespace Recordings.UnitTests.Grains;

/// <summary>
/// Issue 8 at the grain level, on the real grains with the DEFAULT upload time budget (stall timeout 8 s, Supabase
/// request timeout 10 s): state stored before it shows, failure paths leave nothing, no Supabase on a read's path.
/// </summary>
public sealed class GrainHardeningTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>, IAsyncLifetime
{
    private const string Bucket = "interview-recordings";

    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    private string SpoolDirectory => Path.Combine(fixture.RecordingsDirectory, "~spool");

    public Task InitializeAsync() => HealAsync();

    public Task DisposeAsync() => HealAsync();

    [Fact]
    public void The_fixture_runs_with_the_default_time_budget()
    {
        var options = fixture.SiloService<IOptions<RecordingsOptions>>().Value;
        Assert.Equal(new RecordingsOptions().SupabaseStallTimeout, options.SupabaseStallTimeout);
        Assert.Equal(new RecordingsOptions().CommitMargin, options.CommitMargin);
        Assert.True(options.UploadCallBudget < TimeSpan.FromSeconds(15));
    }

    // Item 6: a change is visible only once stored.
    [Fact]
    public async Task A_delete_whose_state_write_fails_leaves_the_record_in_memory_as_in_storage()
    {
        var sessionId = RecordingsHttp.NewSessionId();
        var outcome = await GrainUploads.UploadAsync(Grains, sessionId, RecordingsHttp.RandomBytes(1000));
        var session = Grains.GetGrain<ISessionGrain>(sessionId);

        fixture.GrainStorageSwitches.FailWrites = true;
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => session.Delete(outcome.Record.Filename));
        }
        finally
        {
            fixture.GrainStorageSwitches.FailWrites = false;
        }

        Assert.Equal(outcome.Record, Assert.Single(await session.List()));

        // Once writes work again the delete goes through (the object is already gone), and stays done.
        Assert.True((await session.Delete(outcome.Record.Filename)).Found);
        await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Empty(await session.List());
    }

    // Items 6, 10 and 13: a commit that cannot be stored leaves no record, no spool and no stored bytes.
    [Fact]
    public async Task An_upload_whose_commit_cannot_be_stored_leaves_no_record_and_no_bytes()
    {
        var sessionId = RecordingsHttp.NewSessionId();
        var (ticket, upload) = await GrainUploads.StartAsync(Grains, sessionId, RecordingsHttp.RandomBytes(1_500_000));

        fixture.GrainStorageSwitches.FailWrites = true;
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => upload.Complete(ticket));
        }
        finally
        {
            fixture.GrainStorageSwitches.FailWrites = false;
        }

        Assert.Empty(await Grains.GetGrain<ISessionGrain>(sessionId).List());
        Assert.False(fixture.Supabase.Exists(Bucket, ticket.ObjectPath));
        Assert.False(File.Exists(Path.Combine(fixture.RecordingsDirectory, sessionId, ticket.Filename)));
        Assert.Empty(Directory.GetFiles(SpoolDirectory));
    }

    // Item 3: a DELETE of a name still streaming answers "not found" and touches nothing.
    [Fact]
    public async Task A_delete_of_a_reserved_name_deletes_nothing_and_the_upload_still_commits()
    {
        var sessionId = RecordingsHttp.NewSessionId();
        var session = Grains.GetGrain<ISessionGrain>(sessionId);
        var data = RecordingsHttp.RandomBytes(1_500_000);
        var (ticket, upload) = await GrainUploads.StartAsync(Grains, sessionId, data);
        var (otherTicket, other) = await GrainUploads.StartAsync(Grains, sessionId, RecordingsHttp.RandomBytes(1000));

        // Keep the session busy (another upload's commit, its write held) so that the delete is queued ahead of this
        // upload's commit, and runs after its bytes are stored.
        var held = fixture.GrainStorageSwitches.HoldNextWrite(session.GetGrainId());
        var busy = other.Complete(otherTicket);
        await held.Arrived.WaitAsync(TimeSpan.FromSeconds(10));
        var delete = session.Delete(ticket.Filename);
        var complete = upload.Complete(ticket);
        await Poll.UntilAsync(() => fixture.Supabase.Exists(Bucket, ticket.ObjectPath), TimeSpan.FromSeconds(20));
        held.Release();
        await busy;

        var deleted = await delete;
        var outcome = await complete;

        Assert.False(deleted.Found);
        Assert.Equal(StorageType.Supabase, outcome.Record.Storage);
        Assert.Equal(data.Length, fixture.Supabase.Objects(Bucket).Single(o => o.Path == ticket.ObjectPath).Size);
        Assert.Equal(new[] { outcome.Record.Filename, otherTicket.Filename }.Order(), (await session.List()).Select(r => r.Filename).Order());
    }

    // Item 5: a read never waits on Supabase, for an unknown session or a known one.
    [Fact]
    public async Task Reads_of_unknown_and_known_sessions_do_not_wait_on_a_stalled_supabase()
    {
        var known = RecordingsHttp.NewSessionId();
        var outcome = await GrainUploads.UploadAsync(Grains, known, RecordingsHttp.RandomBytes(1000));
        await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        fixture.Supabase.Fault = SupabaseFault.Stall;
        var unknown = RecordingsHttp.NewSessionId();
        Assert.Null(await Grains.GetGrain<ISessionGrain>(unknown).GetLatest().WaitAsync(TimeSpan.FromSeconds(3)));
        Assert.Equal(outcome.Record, Assert.Single(await Grains.GetGrain<ISessionGrain>(known).List().WaitAsync(TimeSpan.FromSeconds(3))));
    }

    // Item 5: the old server's recordings are found by the start-up pass, not by activations.
    [Fact]
    public async Task Recordings_an_older_server_left_in_the_bucket_and_on_disk_are_adopted_by_the_start_up_pass()
    {
        var inBucket = RecordingsHttp.NewSessionId();
        var bucketName = $"session_recording_{inBucket}_20240102_030405.webm";
        using (var content = new MemoryStream(RecordingsHttp.RandomBytes(3000)))
        {
            await fixture.SiloService<SupabaseStorageClient>().UploadAsync($"{inBucket}/{bucketName}", content, "video/webm", CancellationToken.None);
        }

        var onDisk = RecordingsHttp.NewSessionId();
        var diskName = $"screen_recording_{onDisk}_20240102_030406.webm";
        Directory.CreateDirectory(Path.Combine(fixture.RecordingsDirectory, onDisk));
        await File.WriteAllBytesAsync(Path.Combine(fixture.RecordingsDirectory, onDisk, diskName), RecordingsHttp.RandomBytes(2000));

        await fixture.SiloService<LegacyRecordingsAdopter>().AdoptAllAsync(CancellationToken.None);

        var fromBucket = Assert.Single(await Grains.GetGrain<ISessionGrain>(inBucket).List());
        Assert.Equal((bucketName, StorageType.Supabase, 3000L, "session"), (fromBucket.Filename, fromBucket.Storage, fromBucket.Size, fromBucket.RecordingType));
        var fromDisk = Assert.Single(await Grains.GetGrain<ISessionGrain>(onDisk).List());
        Assert.Equal((diskName, StorageType.Local, 2000L, "screen"), (fromDisk.Filename, fromDisk.Storage, fromDisk.Size, fromDisk.RecordingType));
    }

    // Item 1: with the default budget a stalled Supabase costs one stall timeout, whichever part comes first.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_stalled_supabase_keeps_the_upload_locally_within_15_seconds(bool nameBeforeFile)
    {
        var sessionId = RecordingsHttp.NewSessionId();
        var session = Grains.GetGrain<ISessionGrain>(sessionId);
        var data = RecordingsHttp.RandomBytes(3 * 1024 * 1024 + 17);
        fixture.Supabase.Fault = SupabaseFault.Stall;
        var clock = Stopwatch.StartNew();

        var upload = Grains.GetGrain<IUploadGrain>(Guid.NewGuid());
        var ticket = nameBeforeFile ? await session.BeginUpload("session", "webm", "video/webm") : null;
        await upload.Open(ticket);
        await GrainUploads.WriteAllAsync(upload, data);
        ticket ??= await session.BeginUpload("session", "webm", "video/webm");
        var outcome = await upload.Complete(ticket);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        Assert.Equal(StorageType.Local, outcome.Record.Storage);
        Assert.Equal(data.Length, new FileInfo(Path.Combine(fixture.RecordingsDirectory, sessionId, ticket.Filename)).Length);
        Assert.Equal(outcome.Record, Assert.Single(await session.List()));
    }

    // Items 1 and 13: when the API gives up, the caller hears so at once, and nothing the upload did is kept.
    [Fact]
    public async Task A_completion_the_api_gave_up_on_stores_nothing_and_its_abort_frees_the_name()
    {
        var sessionId = RecordingsHttp.NewSessionId();
        var session = Grains.GetGrain<ISessionGrain>(sessionId);
        fixture.Supabase.Fault = SupabaseFault.Stall;
        var (ticket, upload) = await GrainUploads.StartAsync(Grains, sessionId, RecordingsHttp.RandomBytes(100_000));

        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload.Complete(ticket, giveUp.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the cancelled call returned after {clock.Elapsed}");

        // The abort queues behind the completion still running on the grain, then withdraws whatever it did.
        await upload.Abort(ticket);

        Assert.Empty(await session.List());
        Assert.False(File.Exists(Path.Combine(fixture.RecordingsDirectory, sessionId, ticket.Filename)));
        Assert.Empty(Directory.GetFiles(SpoolDirectory));
        fixture.Supabase.Fault = SupabaseFault.None;
        Assert.False((await session.Delete(ticket.Filename)).Found);
        Assert.False(fixture.Supabase.Exists(Bucket, ticket.ObjectPath));
    }

    // Items 1 and 13: a commit that got through after the API stopped waiting is taken back by the abort.
    [Fact]
    public async Task Aborting_after_a_commit_the_client_never_heard_of_removes_record_and_bytes()
    {
        var sessionId = RecordingsHttp.NewSessionId();
        var (ticket, upload) = await GrainUploads.StartAsync(Grains, sessionId, RecordingsHttp.RandomBytes(1000));
        await upload.Complete(ticket);
        Assert.True(fixture.Supabase.Exists(Bucket, ticket.ObjectPath));

        await upload.Abort(ticket);

        Assert.Empty(await Grains.GetGrain<ISessionGrain>(sessionId).List());
        Assert.False(fixture.Supabase.Exists(Bucket, ticket.ObjectPath));
    }

    // Item 13: what a crash leaves (no session lists it, no upload in flight owns it) is swept once old enough.
    [Fact]
    public async Task The_sweep_removes_leftovers_on_disk_and_in_the_bucket_and_keeps_recordings_and_uploads_in_flight()
    {
        var old = DateTime.UtcNow.AddHours(-2);
        var keptSession = RecordingsHttp.NewSessionId();
        var kept = await GrainUploads.UploadAsync(Grains, keptSession, RecordingsHttp.RandomBytes(1000));

        var crashed = RecordingsHttp.NewSessionId();
        var leftover = LocalFile(crashed, $"session_recording_{crashed}_20240102_030405.webm", old);
        var staleSpool = Path.Combine(SpoolDirectory, Guid.NewGuid().ToString("N") + ".part");
        await File.WriteAllBytesAsync(staleSpool, [1, 2, 3]);
        File.SetLastWriteTimeUtc(staleSpool, old);

        var streaming = RecordingsHttp.NewSessionId();
        var ticket = await Grains.GetGrain<ISessionGrain>(streaming).BeginUpload("session", "webm", "video/webm");
        var inFlight = LocalFile(streaming, ticket.Filename, old);

        var removed = await fixture.SiloService<OrphanSweeper>().SweepAsync(DateTimeOffset.UtcNow.AddHours(-1), CancellationToken.None);

        Assert.True(removed >= 2, $"removed {removed}");
        Assert.False(File.Exists(leftover));
        Assert.False(File.Exists(staleSpool));
        Assert.True(File.Exists(inFlight));

        // An object in the bucket that no session lists: swept once older than the cutoff.
        var orphanSession = RecordingsHttp.NewSessionId();
        var orphanPath = $"{orphanSession}/session_recording_{orphanSession}_20240102_030405.webm";
        using (var content = new MemoryStream(RecordingsHttp.RandomBytes(100)))
        {
            await fixture.SiloService<SupabaseStorageClient>().UploadAsync(orphanPath, content, "video/webm", CancellationToken.None);
        }

        await fixture.SiloService<OrphanSweeper>().SweepAsync(DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);

        Assert.False(fixture.Supabase.Exists(Bucket, orphanPath));
        Assert.True(fixture.Supabase.Exists(Bucket, $"{keptSession}/{kept.Record.Filename}"));
        Assert.Equal(kept.Record, Assert.Single(await Grains.GetGrain<ISessionGrain>(keptSession).List()));
    }

    private string LocalFile(string sessionId, string filename, DateTime lastWrite)
    {
        var path = Path.Combine(fixture.RecordingsDirectory, sessionId, filename);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [1, 2, 3]);
        File.SetLastWriteTimeUtc(path, lastWrite);
        return path;
    }

    // After a stall the circuit breaker may be open: wait until Supabase takes a call again.
    private async Task HealAsync()
    {
        fixture.Supabase.Fault = SupabaseFault.None;
        var client = fixture.SiloService<SupabaseStorageClient>();
        await Poll.UntilAsync(async () =>
        {
            try
            {
                return await client.GetBucketAsync(CancellationToken.None) is not null;
            }
            catch (SupabaseStorageException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(40));
    }
}
