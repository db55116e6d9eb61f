using Recordings.Abstractions.IO;

namespace Recordings.UnitTests.Storage;

public sealed class DirectorySyncTests
{
    [Fact]
    public async Task Many_callers_flushing_one_folder_at_once_all_finish_and_the_folder_can_be_flushed_again()
    {
        var directory = Directory.CreateTempSubdirectory("recordings-group-sync-").FullName;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => DirectorySync.FlushAsync(directory))));

            // The group retired when nobody waited any more; a later caller gets a fresh one.
            await DirectorySync.FlushAsync(directory).WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            Directory.Delete(directory);
        }
    }

    [Fact]
    public async Task A_failed_flush_fails_every_caller_that_waited_for_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), "recordings-missing-" + Guid.NewGuid().ToString("N"));

        var waits = Enumerable.Range(0, 20).Select(_ => DirectorySync.FlushAsync(missing)).ToList();

        foreach (var wait in waits)
        {
            await Assert.ThrowsAsync<IOException>(() => wait);
        }
    }
}
