namespace Recordings.Abstractions.IO;

/// <summary>
/// The callers waiting to have one directory flushed. Whoever joins while no flush runs starts one on the thread
/// pool; whoever joins while one runs waits for the next, which starts after it and so covers their renames. A
/// group with nobody waiting retires itself, so folders of sessions long done hold no memory.
/// </summary>
internal sealed class DirectoryFlushGroup(string directory)
{
    private readonly Lock gate = new();
    private TaskCompletionSource? waiting;
    private bool flushing;
    private bool retired;

    public string Directory => directory;

    public bool TryJoin(out Task flushed)
    {
        lock (gate)
        {
            if (retired)
            {
                flushed = Task.CompletedTask;
                return false;
            }

            waiting ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            flushed = waiting.Task;
            if (!flushing)
            {
                flushing = true;
                // fsync blocks its thread: keep it off the caller's (an Orleans scheduler turn, a request).
                _ = Task.Run(FlushWhileWaited);
            }

            return true;
        }
    }

    private void FlushWhileWaited()
    {
        while (true)
        {
            TaskCompletionSource batch;
            lock (gate)
            {
                if (waiting is null)
                {
                    flushing = false;
                    retired = true;
                    DirectorySync.Retire(this);
                    return;
                }

                batch = waiting;
                waiting = null;
            }

            try
            {
                DirectorySync.Flush(directory);
                batch.SetResult();
            }
            catch (Exception exception)
            {
                batch.SetException(exception);
            }
        }
    }
}
