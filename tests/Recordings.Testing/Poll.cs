namespace Recordings.Testing;

/// <summary>Waits for a condition instead of sleeping for a guessed time; fails with the deadline.</summary>
public static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    public static Task UntilAsync(Func<bool> condition, TimeSpan deadline) =>
        UntilAsync(() => Task.FromResult(condition()), deadline);

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        while (!await condition())
        {
            try
            {
                await Task.Delay(Interval, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Condition not met within {deadline}.");
            }
        }
    }
}
