using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace Recordings.Testing;

/// <summary>
/// tus-js-client from npm (the version the API ships to browsers), run in Node by Resumable/node/tus-node-client.cjs.
/// Each line the script prints is one event; tests wait on events, never on time.
/// </summary>
public sealed class NodeTusClient : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<JsonElement> events = new();
    private readonly ConcurrentQueue<string> errors = new();
    private readonly SemaphoreSlim arrived = new(0);

    private NodeTusClient(Process process) => this.process = process;

    public IReadOnlyList<JsonElement> Events => [.. events];

    public static NodeTusClient Start(string command, object options)
    {
        var root = RepositoryFiles.Root;
        var start = new ProcessStartInfo("node",
            [Path.Combine(root, "tests", "Recordings.FunctionalTests", "Resumable", "node", "tus-node-client.cjs"), command, JsonSerializer.Serialize(options)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["NODE_PATH"] = Path.Combine(root, "src", "Recordings.Api", "node_modules");
        var client = new NodeTusClient(Process.Start(start) ?? throw new InvalidOperationException("Could not start node."));
        client.process.OutputDataReceived += (_, line) =>
        {
            if (string.IsNullOrWhiteSpace(line.Data))
            {
                return;
            }

            using var document = JsonDocument.Parse(line.Data);
            client.events.Enqueue(document.RootElement.Clone());
            client.arrived.Release();
        };
        client.process.ErrorDataReceived += (_, line) => { if (line.Data is not null) client.errors.Enqueue(line.Data); };
        client.process.BeginOutputReadLine();
        client.process.BeginErrorReadLine();
        return client;
    }

    /// <summary>Runs a command to its end; returns every event.</summary>
    public static async Task<IReadOnlyList<JsonElement>> RunAsync(string command, object options, TimeSpan? timeout = null)
    {
        await using var client = Start(command, options);
        return await client.CompletionAsync(timeout ?? TimeSpan.FromMinutes(2));
    }

    public async Task<IReadOnlyList<JsonElement>> CompletionAsync(TimeSpan timeout)
    {
        await process.WaitForExitAsync().WaitAsync(timeout);
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"node exited with {process.ExitCode}: {string.Join('\n', errors)}");
        return Events;
    }

    /// <summary>The first event of that name, waiting for it as long as <paramref name="timeout"/>.</summary>
    public async Task<JsonElement> WaitForAsync(string name, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var found = events.FirstOrDefault(e => e.GetProperty("event").GetString() == name);
            if (found.ValueKind != JsonValueKind.Undefined)
            {
                return found;
            }

            var left = until - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || process.HasExited && !await arrived.WaitAsync(100))
            {
                throw new TimeoutException($"No '{name}' event; events: {string.Join(' ', events)}; stderr: {string.Join('\n', errors)}");
            }

            await arrived.WaitAsync(left);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}

public static class TusEvents
{
    public static string Name(this JsonElement e) => e.GetProperty("event").GetString()!;

    public static IEnumerable<JsonElement> Named(this IEnumerable<JsonElement> events, string name) => events.Where(e => e.Name() == name);
}
