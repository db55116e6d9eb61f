using Recordings.Testing;

namespace Recordings.Bench.Hosting;

/// <summary>
/// This app started with --serve-storage [calibrated]: runs the tests' loopback Supabase Storage server (costing what
/// the real one does when calibrated), prints "{url} {key}" on one line, and serves until its standard input closes.
/// </summary>
public static class StorageServerMode
{
    public const string Flag = "--serve-storage";

    public const string Calibrated = "calibrated";

    public static async Task<int> RunAsync(bool calibrated)
    {
        await using var server = await SupabaseStorageTestServer.StartAsync();
        server.Cost = calibrated ? StorageServerCost.Calibrated : StorageServerCost.None;
        await Console.Out.WriteLineAsync($"{server.Url} {server.ServiceRoleKey}");
        await Console.Out.FlushAsync();
        await Console.In.ReadToEndAsync();
        return 0;
    }
}
