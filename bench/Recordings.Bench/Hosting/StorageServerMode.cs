using Recordings.Testing;

namespace Recordings.Bench.Hosting;

/// <summary>
/// This app started with --serve-storage: runs the tests' loopback Supabase Storage server, prints "{url} {key}" on
/// one line, and serves until its standard input closes (the bench ended, or died).
/// </summary>
public static class StorageServerMode
{
    public const string Flag = "--serve-storage";

    public static async Task<int> RunAsync()
    {
        await using var server = await SupabaseStorageTestServer.StartAsync();
        await Console.Out.WriteLineAsync($"{server.Url} {server.ServiceRoleKey}");
        await Console.Out.FlushAsync();
        await Console.In.ReadToEndAsync();
        return 0;
    }
}
