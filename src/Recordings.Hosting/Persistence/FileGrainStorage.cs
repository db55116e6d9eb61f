using System.Buffers.Binary;
using System.Collections.Concurrent;
using Orleans.Storage;
using Recordings.Abstractions.IO;

namespace Recordings.Hosting.Persistence;

/// <summary>
/// Durable grain state for the one-machine mode: one file per grain under a data folder, replaced atomically
/// (write a temp file, fsync, rename), with a version number as the ETag so a stale writer is refused.
/// </summary>
public sealed class FileGrainStorage(string directory, IGrainStorageSerializer serializer) : IGrainStorage
{
    private const int HeaderBytes = sizeof(long);

    private readonly ConcurrentDictionary<string, string> folders = new(StringComparer.Ordinal);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        if (!File.Exists(path))
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        var bytes = await File.ReadAllBytesAsync(path);
        var version = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        grainState.State = serializer.Deserialize<T>(new BinaryData(bytes.AsMemory(HeaderBytes)));
        grainState.ETag = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        var version = CheckETag(path, grainState.ETag) + 1;
        var payload = serializer.Serialize(grainState.State).ToMemory();

        var header = new byte[HeaderBytes];
        BinaryPrimitives.WriteInt64LittleEndian(header, version);
        var temp = path + ".tmp";
        await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, useAsync: true))
        {
            await file.WriteAsync(header);
            await file.WriteAsync(payload);
            file.Flush(flushToDisk: true);
        }

        // The rename makes the new state current; without flushing the folder a power loss could bring the old one back.
        await DirectorySync.MoveDurablyAsync(temp, path, overwrite: true);
        grainState.ETag = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        CheckETag(path, grainState.ETag);
        File.Delete(path);
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
        return Task.CompletedTask;
    }

    private static long CheckETag(string path, string? expected)
    {
        long current = 0;
        if (File.Exists(path))
        {
            Span<byte> header = stackalloc byte[HeaderBytes];
            using var file = File.OpenRead(path);
            file.ReadExactly(header);
            current = BinaryPrimitives.ReadInt64LittleEndian(header);
        }

        var currentTag = current == 0 ? null : current.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (currentTag != expected)
        {
            throw new InconsistentStateException($"ETag mismatch: stored {currentTag ?? "none"}, expected {expected ?? "none"}.", currentTag, expected);
        }

        return current;
    }

    private string PathOf(string stateName, GrainId grainId) =>
        Path.Combine(folders.GetOrAdd(stateName, CreateFolder), Uri.EscapeDataString(grainId.ToString()) + ".state");

    // Once per state name, not once per read and write.
    private string CreateFolder(string stateName) => Directory.CreateDirectory(Path.Combine(directory, stateName)).FullName;
}
