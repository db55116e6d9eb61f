using System.Collections.Concurrent;
using System.Diagnostics;

namespace Recordings.Bench.Load;

/// <summary>Runs jobs from a fixed number of concurrent clients until a count or a time limit is reached, whichever comes first.</summary>
public static class ConcurrentRunner
{
    /// <param name="job">Called with the client's number (0..clients-1); each client runs its jobs one after another.</param>
    public static async Task<(IReadOnlyList<T> Results, TimeSpan Elapsed)> RunAsync<T>(
        int count, int clients, TimeSpan timeLimit, Func<int, CancellationToken, Task<T>> job, CancellationToken cancellationToken)
    {
        var results = new ConcurrentQueue<T>();
        var next = -1;
        var clock = Stopwatch.StartNew();

        async Task ClientAsync(int client)
        {
            while (clock.Elapsed < timeLimit && Interlocked.Increment(ref next) < count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                results.Enqueue(await job(client, cancellationToken));
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(() => ClientAsync(client), cancellationToken)));
        return ([.. results], clock.Elapsed);
    }

    /// <summary>Runs every client's job loop for a fixed time (reads); returns every result.</summary>
    public static async Task<(IReadOnlyList<T> Results, TimeSpan Elapsed)> RunForAsync<T>(
        TimeSpan duration, int clients, Func<CancellationToken, Task<T>> job, CancellationToken cancellationToken)
    {
        var results = new ConcurrentQueue<T>();
        var clock = Stopwatch.StartNew();

        async Task ClientAsync()
        {
            while (clock.Elapsed < duration)
            {
                cancellationToken.ThrowIfCancellationRequested();
                results.Enqueue(await job(cancellationToken));
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(ClientAsync, cancellationToken)));
        return ([.. results], clock.Elapsed);
    }
}
