using Recordings.Bench;
using Recordings.Bench.Hosting;

if (args is [StorageServerMode.Flag, .. var mode])
{
    return await StorageServerMode.RunAsync(calibrated: mode is [StorageServerMode.Calibrated]);
}

// Ctrl+C cancels the token: measuring stops, the child processes are shut down and the temp folders removed.
return await BenchOptions.Command(async (options, cancellationToken) =>
{
    try
    {
        return await BenchRunner.RunAsync(options, cancellationToken);
    }
    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
    {
        Console.Error.WriteLine("Cancelled.");
        return 130;
    }
}).Parse(args).InvokeAsync();
