namespace Recordings.Testing;

/// <summary>A count that tests can wait on: <see cref="Reached"/> completes once the count gets there, with no polling.</summary>
public sealed class CountSignal
{
    private readonly Lock gate = new();
    private readonly List<(int Target, TaskCompletionSource Done)> waiters = [];
    private int count;

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

    public void Increment()
    {
        List<TaskCompletionSource> ready;
        lock (gate)
        {
            count++;
            ready = [.. waiters.Where(w => w.Target <= count).Select(w => w.Done)];
            waiters.RemoveAll(w => w.Target <= count);
        }

        foreach (var done in ready)
        {
            done.TrySetResult();
        }
    }

    /// <summary>Completes when the count is at least <paramref name="target"/>.</summary>
    public Task Reached(int target)
    {
        lock (gate)
        {
            if (count >= target)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((target, done));
            return done.Task;
        }
    }
}
