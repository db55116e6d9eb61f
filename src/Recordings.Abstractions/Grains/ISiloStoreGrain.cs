using Orleans.Concurrency;
using Recordings.Abstractions;

namespace Recordings.Abstractions;

/// <summary>
/// The local recordings of one silo (key: the silo's name), reachable from any host. Placed only on that silo;
/// when it is down every call fails with <see cref="RecordingUnavailableException"/>.
/// </summary>
public interface ISiloStoreGrain : IGrainWithStringKey
{
    Task<LocalFileInfo?> Stat(string sessionId, string filename);

    /// <summary>Up to <paramref name="count"/> bytes from <paramref name="offset"/>; empty at the end of the file.</summary>
    Task<Immutable<byte[]>> Read(string sessionId, string filename, long offset, int count);

    Task<bool> Delete(string sessionId, string filename);
}
