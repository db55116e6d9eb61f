using Orleans.Concurrency;
using Recordings.Abstractions;
using Recordings.Grains.Placement;
using Recordings.Grains.Storage;

namespace Recordings.Grains.SiloStore;

// Plain file I/O with no state of its own: calls may interleave freely.
[Reentrant]
[SiloNamePlacement]
public sealed class SiloStoreGrain(LocalRecordingStore localStore) : Grain, ISiloStoreGrain
{
    public Task<LocalFileInfo?> Stat(string sessionId, string filename) =>
        Task.FromResult(localStore.Stat(sessionId, filename));

    public async Task<Immutable<byte[]>> Read(string sessionId, string filename, long offset, int count)
    {
        await using var file = localStore.OpenRead(sessionId, filename);
        var length = (int)Math.Clamp(file.Length - offset, 0, count);
        var buffer = new byte[length];
        file.Position = offset;
        await file.ReadExactlyAsync(buffer);
        return buffer.AsImmutable();
    }

    public Task<bool> Delete(string sessionId, string filename) =>
        Task.FromResult(localStore.Delete(sessionId, filename));
}
