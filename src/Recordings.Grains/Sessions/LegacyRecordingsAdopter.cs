using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recordings.Abstractions;
using Recordings.Grains.Resync;
using Recordings.Grains.Storage;
using Recordings.Supabase;

namespace Recordings.Grains.Sessions;

/// <summary>
/// Once per silo start, in the background: hands every recording an older server (or an earlier life of this silo)
/// left under recordings/{session_id}/ on this silo's disk, and every object in the bucket, to its session grain.
/// Doing it here rather than when a session activates keeps Supabase off every request's path: a probe of an unknown
/// id costs nothing, and a stalled Supabase delays nothing but this pass, which backs off and retries.
/// </summary>
public sealed class LegacyRecordingsAdopter(
    IGrainFactory grains,
    LocalRecordingStore localStore,
    SupabaseStorageClient supabase,
    ILocalSiloDetails silo,
    IHostApplicationLifetime lifetime,
    IOptions<ResyncOptions> options,
    ILogger<LegacyRecordingsAdopter> logger) : BackgroundService
{
    private readonly TaskCompletionSource completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Done once a pass has succeeded: until then an unknown file may be an old recording, not an orphan.</summary>
    public Task Completion => completed.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Grain calls need the silo up: wait until the host has started.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        try
        {
            await SupabaseBackOff.For(options.Value, logger, "Adopting recordings left by an older server")
                .ExecuteAsync(async token => await AdoptAllAsync(token), stoppingToken);
            completed.TrySetResult();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The silo is stopping.
        }
    }

    /// <summary>One pass over this silo's disk and the bucket; idempotent. Throws when Supabase fails.</summary>
    public async Task AdoptAllAsync(CancellationToken cancellationToken)
    {
        foreach (var session in localStore.ListAll().GroupBy(entry => entry.SessionId))
        {
            var found = session.Select(entry => FromExistingFile(entry.File.Filename, entry.File.Size, entry.File.LastWriteTime, StorageType.Local, silo.Name)).ToList();
            await grains.GetGrain<ISessionGrain>(session.Key).Adopt(found);
        }

        if (!supabase.IsConfigured)
        {
            return;
        }

        foreach (var sessionId in (await supabase.ListFoldersAsync(string.Empty, cancellationToken)).Where(RecordingNames.IsValidSessionId))
        {
            var objects = await supabase.ListAsync(sessionId, cancellationToken);
            var found = objects
                .Where(item => RecordingNames.IsValidFilename(item.Name))
                .Select(item => FromExistingFile(item.Name, item.Size, item.CreatedAt ?? DateTimeOffset.UtcNow, StorageType.Supabase, null))
                .ToList();
            if (found.Count > 0)
            {
                await grains.GetGrain<ISessionGrain>(sessionId).Adopt(found);
            }
        }
    }

    private static RecordingRecord FromExistingFile(string filename, long size, DateTimeOffset fallbackTime, StorageType storage, string? localSilo)
    {
        var parsed = RecordingNames.TryParse(filename, out var type, out var time);
        return new RecordingRecord(filename, type, storage, size, parsed ? time : fallbackTime,
            RecordingNames.ContentTypeFor(filename), Sha256: null, localSilo);
    }
}
