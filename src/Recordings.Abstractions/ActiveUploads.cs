namespace Recordings.Abstractions;

/// <summary>
/// Uploads streaming into this silo right now (opened, neither completed nor aborted): a draining silo waits for them
/// to finish before it leaves the cluster.
/// </summary>
public sealed class ActiveUploads
{
    private readonly Lock gate = new();
    private int count;
    private TaskCompletionSource? none;

    public int Count
    {
        get
        {
            lock (gate)
            {
                return count;
            }
        }
    }

    public void Started()
    {
        lock (gate)
        {
            count++;
        }
    }

    public void Ended()
    {
        TaskCompletionSource? waiting = null;
        lock (gate)
        {
            if (--count == 0)
            {
                (waiting, none) = (none, null);
            }
        }

        waiting?.TrySetResult();
    }

    /// <summary>Completes once no upload is running on this silo (at once if none is).</summary>
    public Task WhenNoneAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (count == 0)
            {
                return Task.CompletedTask;
            }

            none ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return none.Task.WaitAsync(cancellationToken);
        }
    }
}
