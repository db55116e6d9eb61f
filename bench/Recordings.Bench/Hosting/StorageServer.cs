using System.Diagnostics;

namespace Recordings.Bench.Hosting;

/// <summary>
/// The Supabase Storage server the service and the direct uploads talk to: the tests' loopback server, run in a child
/// process of this app (so its CPU is measured apart from the client's), or a real one given on the command line.
/// </summary>
public sealed class StorageServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process? process;

    private StorageServer(Uri url, string key, Process? process)
    {
        Url = url;
        Key = key;
        this.process = process;
    }

    /// <summary>Whether the loopback server costs what the real one does.</summary>
    public bool IsCalibrated { get; private init; }

    /// <summary>The project URL (requests go to {Url}/storage/v1/...).</summary>
    public Uri Url { get; }

    public string Key { get; }

    /// <summary>The child process's id; null for an external server (its CPU and memory are not ours to see).</summary>
    public int? ProcessId => process?.Id;

    public bool IsLoopbackTestServer => process is not null;

    public static StorageServer External(Uri url, string key) => new(url, key, process: null);

    /// <summary>Starts this app again with --serve-storage and reads the URL and key it prints.</summary>
    /// <param name="calibrated">Whether the server costs what the real one does (else as fast as it can).</param>
    public static async Task<StorageServer> StartTestServerAsync(bool calibrated, CancellationToken cancellationToken)
    {
        string[] mode = calibrated ? [StorageServerMode.Calibrated] : [];
        var start = new ProcessStartInfo("dotnet", ["exec", typeof(StorageServer).Assembly.Location, StorageServerMode.Flag, .. mode])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the storage server.");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartTimeout);
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException("The storage server exited before it listened.");
            var parts = line.Split(' ', 2);
            return new StorageServer(new Uri(parts[0]), parts[1], process) { IsCalibrated = calibrated };
        }
        catch
        {
            Stop(process);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (process is null)
        {
            return;
        }

        // Closing its input is the signal to delete its objects and exit; it is killed if it does not in time.
        process.StandardInput.Close();
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            Stop(process);
        }

        process.Dispose();
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
    }
}
