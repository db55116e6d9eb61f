using System.Diagnostics;
using System.Security.Cryptography;

namespace Recordings.FunctionalTests.Cluster;

/// <summary>
/// Issue 12, what a draining silo hands back: an upload whose API host died does not hold the drain for the whole
/// shutdown timeout, and the silo's local recordings go to Supabase in a last re-sync pass when Supabase answers.
/// </summary>
public sealed class DrainHandBackTests : IAsyncLifetime
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(60);

    private CrashCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await CrashCluster.StartAsync(new Dictionary<string, string?>
    {
        ["HostOptions__ShutdownTimeout"] = "00:01:00",
        ["Drain__ReadinessDelay"] = "00:00:01",
        // Only the drain moves anything to Supabase in these tests.
        ["Resync__Interval"] = "00:10:00",
        ["Resync__MaxBackoff"] = "00:10:00",
    });

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task A_silo_draining_with_an_upload_whose_api_host_died_exits_well_before_the_shutdown_timeout()
    {
        var upload = cluster.StartPausedUpload(cluster.Api.Client, 8 * 1024 * 1024, seed: 1);
        await upload.Stream.Paused;
        var active = await cluster.WaitForActiveUploadsAsync(1);
        var silo = cluster.Silos[active[0] == 1 ? 0 : 1];

        await cluster.Api.KillAsync();
        upload.Stream.Resume(); // so that the client notices the dead connection and answers
        await silo.SignalTerminateAsync();
        var clock = Stopwatch.StartNew();

        Assert.Equal(0, await silo.WaitForExitAsync(ShutdownTimeout + TimeSpan.FromSeconds(10)));
        // The upload's budget (5 s here), the readiness delay (1 s) and leaving the cluster; not the timeout's 50 s.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), $"the silo took {clock.Elapsed} to drain:\n{silo.Output}");
        Assert.Contains("heard nothing for", silo.Output);
        Assert.Empty(Directory.GetFiles(Path.Combine(silo.RecordingsDirectory, "~spool")));
        Assert.NotEqual(200, (await upload.Answer).Status);
    }

    [Fact]
    public async Task A_draining_silo_hands_its_local_recordings_to_supabase()
    {
        var session = RecordingsHttp.NewSessionId();
        await cluster.Supabase.RefuseConnectionsAsync();
        var sent = new Dictionary<string, string>();
        for (var i = 0; i < 6; i++)
        {
            var data = RecordingsHttp.RandomBytes(30_000 + i);
            var body = await cluster.Api.Client.UploadOkAsync(session, data);
            Assert.Equal("local", body.Str("storage_type"));
            sent[body.Str("filename")] = Convert.ToHexStringLower(SHA256.HashData(data));
        }

        var holders = (await cluster.Api.Client.ListAsync(session)).GetProperty("recordings").EnumerateArray()
            .ToDictionary(item => item.Str("filename"), item => item.Str("silo"));
        var drainingName = holders.Values.GroupBy(name => name).MaxBy(group => group.Count())!.Key;
        var draining = cluster.SiloNamed(drainingName);
        var handedBack = holders.Where(holder => holder.Value == drainingName).Select(holder => holder.Key).ToList();
        await cluster.Supabase.AcceptConnectionsAsync();

        await draining.SignalTerminateAsync();

        Assert.Equal(0, await draining.WaitForExitAsync(ShutdownTimeout + TimeSpan.FromSeconds(10)));
        var after = (await cluster.Api.Client.ListAsync(session)).GetProperty("recordings").EnumerateArray()
            .ToDictionary(item => item.Str("filename"), item => item.Str("storage_type"));
        Assert.Equal(sent.Keys.Order(), after.Keys.Order());
        Assert.All(handedBack, filename => Assert.Equal("supabase", after[filename]));
        foreach (var filename in handedBack)
        {
            var stored = cluster.Supabase.Objects(SupabaseApiFixture.Bucket).Single(o => o.Path == $"{session}/{filename}");
            Assert.Equal(sent[filename], stored.Sha256Hex);
            Assert.False(File.Exists(Path.Combine(draining.RecordingsDirectory, session, filename)));
        }
    }
}
