using Recordings.Abstractions;

namespace Recordings.Abstractions;

/// <summary>
/// Calls to a silo's store fail in several Orleans ways while that silo is down or being declared dead; all of
/// them mean the same to a caller: the recording is out of reach for now (503), not gone.
/// </summary>
public static class SiloStoreGuard
{
    public static async Task<T> CallAsync<T>(string siloName, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception exception) when (exception is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException)
        {
            throw Unavailable(siloName);
        }
    }

    public static RecordingUnavailableException Unavailable(string siloName) =>
        new($"Silo '{siloName}', which holds this recording on its disk, is not available right now; try again shortly.");
}
