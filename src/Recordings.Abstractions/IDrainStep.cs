namespace Recordings.Abstractions;

/// <summary>
/// Work a draining silo does once its uploads have finished, while it is still in the cluster, within what is left of
/// the shutdown timeout (the token is cancelled when that runs out). Whatever is not done must stay consistent.
/// </summary>
public interface IDrainStep
{
    Task DrainAsync(CancellationToken cancellationToken);
}
