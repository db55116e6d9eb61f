using Xunit.Abstractions;

namespace Recordings.FunctionalTests.Cluster;

/// <summary>
/// Issue 8 item 13: a silo killed (kill -9) while uploads stream into it. Those uploads fail within their time budget
/// (not Orleans' 30 s call timeout), and once the orphan sweep has run nothing that no list shows is left on the
/// surviving silo's disk or in the bucket; what the sweep removed is counted.
/// </summary>
public sealed class SiloCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Uploads = 8;
    private const long UploadBytes = 8 * 1024 * 1024;
    private static readonly TimeSpan OrphanMinAge = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

    private CrashCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await CrashCluster.StartAsync(new Dictionary<string, string?>
    {
        ["Recordings__OrphanMinAge"] = "00:00:15",
        ["Recordings__OrphanSweepInterval"] = "00:00:01",
    });

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task Uploads_on_a_killed_silo_fail_within_their_budget_and_the_sweep_leaves_nothing_unlisted()
    {
        var uploads = Enumerable.Range(0, Uploads).Select(i => cluster.StartPausedUpload(cluster.Api.Client, UploadBytes, seed: i)).ToList();
        await Task.WhenAll(uploads.Select(upload => upload.Stream.Paused));
        var active = await cluster.WaitForActiveUploadsAsync(Uploads);
        var killed = active[0] >= active[1] ? 0 : 1;
        var survivor = cluster.Silos[1 - killed];

        await cluster.Silos[killed].KillAsync();
        var killedAt = DateTime.UtcNow;
        foreach (var upload in uploads)
        {
            upload.Stream.Resume();
        }

        var answers = await Task.WhenAll(uploads.Select(upload => upload.Answer)).WaitAsync(TimeSpan.FromSeconds(60));

        // Every upload the dead silo held fails, each within the budget; the others are stored and listed.
        var failed = answers.Where(answer => answer.Status != 200).ToList();
        Assert.True(failed.Count >= active[killed], $"{failed.Count} failed, {active[killed]} were on the killed silo");
        Assert.All(failed, answer => Assert.True(answer.At - killedAt < CrashCluster.UploadBudget + Slack,
            $"answered {answer.Status} after {answer.At - killedAt}: {answer.Body}"));
        for (var i = 0; i < Uploads; i++)
        {
            var filenames = (await cluster.Api.Client.ListAsync(uploads[i].Session)).Filenames();
            string[] expected = answers[i].Status == 200 ? [answers[i].Json.Str("filename")] : [];
            Assert.Equal(expected, filenames);
        }

        // What the failures left behind, once every upload on the survivor has ended; plus what a crash between storing
        // and committing leaves (the failure paths remove everything else): a promoted file, a spool file, an object.
        await WaitUntilAsync(async () => await CrashCluster.MetricAsync(survivor, "recordings_uploads_active") == 0, TimeSpan.FromSeconds(30));
        var crashed = uploads[0].Session;
        var name = $"session_recording_{crashed}_20250101_000000.webm";
        Directory.CreateDirectory(Path.Combine(survivor.RecordingsDirectory, crashed));
        await File.WriteAllBytesAsync(Path.Combine(survivor.RecordingsDirectory, crashed, name), RecordingsHttp.RandomBytes(1000));
        await File.WriteAllBytesAsync(Path.Combine(survivor.RecordingsDirectory, "~spool", $"{Guid.NewGuid():N}.part"), RecordingsHttp.RandomBytes(1000));
        cluster.Supabase.PutObject(SupabaseApiFixture.Bucket, $"{crashed}/session_recording_{crashed}_20250101_000001.webm", RecordingsHttp.RandomBytes(1000));
        var removedBefore = await CrashCluster.MetricAsync(survivor, "recordings_orphans_removed_total");
        var leftovers = await UnlistedAsync(survivor);

        await WaitUntilAsync(async () => (await UnlistedAsync(survivor)).Count == 0, OrphanMinAge + TimeSpan.FromSeconds(30));

        var removed = await CrashCluster.MetricAsync(survivor, "recordings_orphans_removed_total") - removedBefore;
        output.WriteLine($"active {string.Join('/', active)}, failed {failed.Count} ({string.Join(", ", failed.Select(f => $"{f.Status} after {f.At - killedAt}"))}); " +
            $"left for the sweep: {string.Join(", ", leftovers)}; removed {removed}");
        Assert.True(leftovers.Count >= 3, string.Join(", ", leftovers));
        Assert.Equal(leftovers.Count, removed);
        Assert.All(answers.Where(answer => answer.Status == 200), answer =>
            Assert.True(cluster.Supabase.Exists(SupabaseApiFixture.Bucket, answer.Json.Str("file_path"))));
    }

    /// <summary>Files on the silo's disk (spool included) and objects in the bucket that no session lists.</summary>
    private async Task<List<string>> UnlistedAsync(HostProcess silo)
    {
        var unlisted = new List<string>();
        var root = silo.RecordingsDirectory;
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar);
            if (relative[0] == "~spool" || !await IsListedAsync(relative[0], relative[^1]))
            {
                unlisted.Add("disk:" + string.Join('/', relative));
            }
        }

        foreach (var stored in cluster.Supabase.Objects(SupabaseApiFixture.Bucket))
        {
            var parts = stored.Path.Split('/');
            if (!await IsListedAsync(parts[0], parts[^1]))
            {
                unlisted.Add("bucket:" + stored.Path);
            }
        }

        return unlisted;
    }

    private async Task<bool> IsListedAsync(string session, string filename) =>
        (await cluster.Api.Client.ListAsync(session)).Filenames().Contains(filename);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not reached within {within}");
            await Task.Delay(250);
        }
    }
}
