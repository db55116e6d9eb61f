using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recordings.Abstractions;
using Recordings.Abstractions.IO;

namespace Recordings.Grains.Storage;

/// <summary>
/// This silo's disk: recordings under {root}/{session_id}/{filename} and in-flight uploads under {root}/~spool.
/// Every path is built from validated single segments and checked to stay under the root.
/// </summary>
public sealed class LocalRecordingStore
{
    // "~" is not allowed in a session id, so the spool folder can never be mistaken for a session.
    private const string SpoolFolderName = "~spool";

    // Counting walks every session folder; metric scrapes ask often, while the files rarely change.
    private static readonly TimeSpan BacklogRecountInterval = TimeSpan.FromSeconds(5);

    private readonly Lock backlogGate = new();
    private long backlogCount;
    private long backlogCountedAt;

    public LocalRecordingStore(IOptions<RecordingsOptions> options, ILogger<LocalRecordingStore> logger)
    {
        Root = options.Value.FullDirectory;
        SpoolDirectory = Path.Combine(Root, SpoolFolderName);
        Directory.CreateDirectory(SpoolDirectory);
        SweepSpool(logger);
    }

    public string Root { get; }

    public string SpoolDirectory { get; }

    /// <summary>
    /// Spool files belong to uploads in flight on this silo, and this store is created before the silo's first
    /// upload: whatever is in the spool now was left by a previous life of this silo (a crash) and was never
    /// acknowledged, so it goes.
    /// </summary>
    private void SweepSpool(ILogger logger)
    {
        var swept = 0;
        foreach (var leftover in Directory.EnumerateFiles(SpoolDirectory))
        {
            try
            {
                File.Delete(leftover);
                swept++;
            }
            catch (IOException exception)
            {
                logger.LogWarning("Could not remove the leftover spool file {Path}: {Reason}", leftover, exception.Message);
            }
        }

        if (swept > 0)
        {
            logger.LogInformation("Removed {Count} spool files left by uploads that never finished", swept);
        }
    }

    public string SpoolPathFor(Guid uploadId) => Path.Combine(SpoolDirectory, uploadId.ToString("N") + ".part");

    public FileStream CreateSpool(Guid uploadId) =>
        new(SpoolPathFor(uploadId), FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0, useAsync: true);

    /// <summary>
    /// Turns a finished spool file into the session's local copy (a rename: no bytes copied). Its bytes are flushed to
    /// disk here, and only here: a spool whose file Supabase took is deleted without ever costing an fsync.
    /// </summary>
    public async Task PromoteSpoolAsync(string spoolPath, string sessionId, string filename)
    {
        using (var bytes = File.OpenHandle(spoolPath, FileMode.Open, FileAccess.Write))
        {
            RandomAccess.FlushToDisk(bytes);
        }

        var target = PathOf(sessionId, filename);
        var folder = Path.GetDirectoryName(target)!;
        var newFolder = !Directory.Exists(folder);
        Directory.CreateDirectory(folder);
        // The rename is what makes the recording exist: it must survive a power loss before the upload is acknowledged,
        // and so must the session's folder when this upload created it.
        await DirectorySync.MoveDurablyAsync(spoolPath, target, overwrite: false);
        if (newFolder)
        {
            await DirectorySync.FlushAsync(Root);
        }

        BacklogChanged();
    }

    public static void DeleteSpool(string spoolPath)
    {
        if (File.Exists(spoolPath))
        {
            File.Delete(spoolPath);
        }
    }

    public LocalFileInfo? Stat(string sessionId, string filename)
    {
        var file = new FileInfo(PathOf(sessionId, filename));
        return file.Exists ? ToInfo(file) : null;
    }

    public IReadOnlyList<LocalFileInfo> List(string sessionId)
    {
        var directory = new DirectoryInfo(SessionDirectory(sessionId));
        if (!directory.Exists)
        {
            return [];
        }

        return directory.EnumerateFiles()
            .Where(file => RecordingNames.IsValidFilename(file.Name))
            .Select(ToInfo)
            .ToList();
    }

    /// <summary>Every local recording on this silo, by session: what re-sync has to move to Supabase.</summary>
    public IEnumerable<(string SessionId, LocalFileInfo File)> ListAll()
    {
        if (!Directory.Exists(Root))
        {
            yield break;
        }

        foreach (var directory in new DirectoryInfo(Root).EnumerateDirectories())
        {
            if (!RecordingNames.IsValidSessionId(directory.Name))
            {
                continue;
            }

            foreach (var file in List(directory.Name))
            {
                yield return (directory.Name, file);
            }
        }
    }

    public bool Delete(string sessionId, string filename)
    {
        var path = PathOf(sessionId, filename);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        BacklogChanged();
        return true;
    }

    /// <summary>
    /// How many local recordings wait for re-sync: recounted at most every 5 s, and at once after this store
    /// added or removed one (so a fallback shows without delay).
    /// </summary>
    public long CountLocalRecordings()
    {
        lock (backlogGate)
        {
            if (backlogCountedAt == 0 || Stopwatch.GetElapsedTime(backlogCountedAt) >= BacklogRecountInterval)
            {
                try
                {
                    backlogCount = ListAll().LongCount();
                    backlogCountedAt = Stopwatch.GetTimestamp();
                }
                catch (IOException)
                {
                    // A session folder vanished mid-count (its last file moved away): keep the last count, retry next time.
                }
            }

            return backlogCount;
        }
    }

    public FileStream OpenRead(string sessionId, string filename) =>
        new(PathOf(sessionId, filename), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete,
            bufferSize: 0, useAsync: true);

    public string PathOf(string sessionId, string filename)
    {
        if (!RecordingNames.IsValidFilename(filename))
        {
            throw new ArgumentException("Invalid filename.", nameof(filename));
        }

        return Contained(Path.Combine(SessionDirectory(sessionId), filename));
    }

    private string SessionDirectory(string sessionId)
    {
        if (!RecordingNames.IsValidSessionId(sessionId))
        {
            throw new ArgumentException("Invalid session id.", nameof(sessionId));
        }

        return Contained(Path.Combine(Root, sessionId));
    }

    // Belt and braces: names are validated already, but no path may ever leave the root.
    private string Contained(string path)
    {
        var full = Path.GetFullPath(path);
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException("Path escapes the recordings root.");
        }

        return full;
    }

    private void BacklogChanged()
    {
        lock (backlogGate)
        {
            backlogCountedAt = 0;
        }
    }

    private static LocalFileInfo ToInfo(FileInfo file) =>
        new(file.Name, file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero));
}
