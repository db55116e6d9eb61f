using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Recordings.Abstractions;
using Recordings.Grains.Storage;

namespace Recordings.UnitTests.Storage;

public sealed class LocalRecordingStoreTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("local-store-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void Spool_files_left_by_a_previous_life_of_the_silo_are_swept_at_start()
    {
        var spool = Directory.CreateDirectory(Path.Combine(root, "~spool")).FullName;
        File.WriteAllBytes(Path.Combine(spool, Guid.NewGuid().ToString("N") + ".part"), [1, 2, 3]);
        File.WriteAllBytes(Path.Combine(spool, Guid.NewGuid().ToString("N") + ".part"), [4]);
        var kept = Directory.CreateDirectory(Path.Combine(root, "session_1")).FullName;
        File.WriteAllBytes(Path.Combine(kept, "session_recording_session_1_20240101_000000.webm"), [5]);

        var store = CreateStore();

        Assert.Empty(Directory.GetFiles(store.SpoolDirectory));
        Assert.Single(store.List("session_1"));
    }

    [Fact]
    public async Task The_longest_ids_and_names_are_stored_listed_and_found_for_re_sync()
    {
        var store = CreateStore();
        var sessionId = "Id.with-all_kinds" + new string('x', RecordingNames.MaxSessionIdLength - 17);
        var filename = RecordingNames.Create(new string('t', RecordingNames.MaxRecordingTypeLength), sessionId, DateTimeOffset.UtcNow,
            new string('e', RecordingNames.MaxExtensionLength), attempt: 99);
        var uploadId = Guid.NewGuid();
        using (var spool = store.CreateSpool(uploadId))
        {
            spool.Write([1, 2, 3]);
        }

        await store.PromoteSpoolAsync(store.SpoolPathFor(uploadId), sessionId, filename);

        Assert.Equal(3, store.Stat(sessionId, filename)?.Size);
        Assert.Equal(filename, Assert.Single(store.List(sessionId)).Filename);
        var (listedSession, listedFile) = Assert.Single(store.ListAll());
        Assert.Equal((sessionId, filename), (listedSession, listedFile.Filename));
        Assert.True(store.Delete(sessionId, filename));
    }

    private LocalRecordingStore CreateStore() =>
        new(Options.Create(new RecordingsOptions { Directory = root }), NullLogger<LocalRecordingStore>.Instance);
}
