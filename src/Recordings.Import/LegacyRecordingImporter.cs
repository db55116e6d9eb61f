using Microsoft.Extensions.Logging;
using Recordings.Abstractions;
using Recordings.Supabase;

namespace Recordings.Import;

/// <summary>
/// Imports recordings an older server left under a recordings/ folder ({session_id}/{seed-named file}): each goes to
/// Supabase, is verified, and is registered with its session. The sessions' state is the checkpoint, so a second run
/// does nothing and an interrupted run resumes where it stopped.
/// </summary>
public sealed class LegacyRecordingImporter(IGrainFactory grains, SupabaseStorageClient supabase, ILogger<LegacyRecordingImporter> logger)
{
    public sealed record Summary(int Imported, int AlreadyDone, int Skipped, int Failed);

    public async Task<Summary> ImportAsync(string folder, IProgress<(int Done, int Total, long Bytes)> progress, CancellationToken cancellationToken)
    {
        if (!supabase.IsConfigured)
        {
            throw new InvalidOperationException("Supabase client not initialized: set SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY to import.");
        }

        var files = FindLegacyFiles(folder).ToList();
        int imported = 0, alreadyDone = 0, skipped = 0, failed = 0, done = 0;
        long bytes = 0;
        foreach (var (sessionId, file) in files)
        {
            try
            {
                switch (await ImportOneAsync(sessionId, file, cancellationToken))
                {
                    case true: imported++; bytes += file.Length; break;
                    case false: alreadyDone++; break;
                    case null: skipped++; break;
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                failed++;
                logger.LogWarning("Could not import {SessionId}/{Filename}: {Reason}", sessionId, file.Name, exception.Message);
            }

            progress.Report((++done, files.Count, bytes));
        }

        return new Summary(imported, alreadyDone, skipped, failed);
    }

    /// <summary>True when imported now, false when an earlier run did it, null when the name is not the seed's scheme.</summary>
    private async Task<bool?> ImportOneAsync(string sessionId, FileInfo file, CancellationToken cancellationToken)
    {
        if (!RecordingNames.TryParse(file.Name, out var recordingType, out var time))
        {
            logger.LogInformation("Skipping {Path}: not named by the seed's scheme", file.FullName);
            return null;
        }

        var session = grains.GetGrain<ISessionGrain>(sessionId);
        if (await session.Get(file.Name) is { Storage: StorageType.Supabase })
        {
            return false;
        }

        string objectPath = new RecordingPath(sessionId, file.Name);
        var contentType = RecordingNames.ContentTypeFor(file.Name);
        SupabaseFileCopy.Result copy;
        await using (var content = file.OpenRead())
        {
            copy = await SupabaseFileCopy.CopyAndVerifyAsync(supabase, objectPath, content, contentType, cancellationToken);
        }

        if (!copy.Verified)
        {
            throw new InvalidOperationException($"{objectPath} in Supabase differs from the local file; left as it is");
        }

        await session.RegisterImported(new RecordingRecord(file.Name, recordingType, StorageType.Supabase, file.Length, time,
            contentType, copy.Sha256, LocalSilo: null));
        return true;
    }

    private static IEnumerable<(string SessionId, FileInfo File)> FindLegacyFiles(string folder) =>
        new DirectoryInfo(folder).EnumerateDirectories()
            .Where(directory => RecordingNames.IsValidSessionId(directory.Name))
            .OrderBy(directory => directory.Name, StringComparer.Ordinal)
            .SelectMany(directory => directory.EnumerateFiles()
                .Where(file => RecordingNames.IsValidFilename(file.Name))
                .OrderBy(file => file.Name, StringComparer.Ordinal)
                .Select(file => (directory.Name, file)));
}
