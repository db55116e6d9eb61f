using Recordings.Bench;
using Recordings.Bench.Hosting;

if (args is [StorageServerMode.Flag])
{
    return await StorageServerMode.RunAsync();
}

if (BenchOptions.Parse(args, Console.Error) is not { } options)
{
    return args.Contains("--help") || args.Contains("-h") ? 0 : 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, press) =>
{
    // Stop measuring, but let the child processes be shut down and the temp folders removed.
    press.Cancel = true;
    cancellation.Cancel();
};

try
{
    return await BenchRunner.RunAsync(options, cancellation.Token);
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("Cancelled.");
    return 130;
}
