using System.Collections.Concurrent;
using System.Diagnostics;

namespace Recordings.Testing;

/// <summary>
/// A real host of the service (Recordings.Api or Recordings.Silo), run as a child process on loopback with its own
/// folders and ports. Its console output is kept, so tests can read what it logged; it can be killed and started
/// again on the same folders and ports.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> output = new();
    private readonly Dictionary<string, string?> environment;
    private Process? process;

    private readonly string assemblyName;

    private HostProcess(string assemblyName, string workingDirectory, Dictionary<string, string?> environment)
    {
        this.assemblyName = assemblyName;
        WorkingDirectory = workingDirectory;
        this.environment = environment;
        Port = int.Parse(environment["ASPNETCORE_HTTP_PORTS"]!);
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromMinutes(2) };
    }

    public int Port { get; }

    public Uri BaseAddress => Client.BaseAddress!;

    /// <summary>The running process's id (for CPU and memory readings).</summary>
    public int ProcessId => process?.Id ?? throw new InvalidOperationException("The host is not running.");

    public HttpClient Client { get; }

    /// <summary>A command the host runs under (e.g. strace and its arguments); empty runs it directly.</summary>
    public IReadOnlyList<string> CommandPrefix { get; set; } = [];

    public string WorkingDirectory { get; }

    public string RecordingsDirectory => Path.Combine(WorkingDirectory, "recordings");

    /// <summary>Everything the host wrote to stdout and stderr so far.</summary>
    public string Output => string.Join('\n', output);

    /// <summary>Starts the API in a fresh temp folder. <paramref name="settings"/> are environment variables (null removes one).</summary>
    public static Task<HostProcess> StartApiAsync(IDictionary<string, string?>? settings = null, string? workingDirectory = null) =>
        StartHostAsync("Recordings.Api", settings, workingDirectory);

    /// <summary>Starts a Recordings.Silo host (cluster mode needs ConnectionStrings__Postgres in <paramref name="settings"/>).</summary>
    public static Task<HostProcess> StartSiloAsync(IDictionary<string, string?> settings, string? workingDirectory = null) =>
        StartHostAsync("Recordings.Silo", settings, workingDirectory);

    /// <summary>Starts the host <paramref name="assemblyName"/> (its dll next to the caller's) in a fresh temp folder.</summary>
    public static async Task<HostProcess> StartHostAsync(string assemblyName, IDictionary<string, string?>? settings, string? workingDirectory)
    {
        var host = Define(assemblyName, settings, workingDirectory);
        await host.StartAgainAsync();
        return host;
    }

    /// <summary>A host ready to start with <see cref="StartAgainAsync"/>, whose output can be read while it starts.</summary>
    public static HostProcess Define(string assemblyName, IDictionary<string, string?>? settings, string? workingDirectory = null)
    {
        workingDirectory ??= Directory.CreateTempSubdirectory("recordings-api-").FullName;
        var port = FreePort.Next();
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_HTTP_PORTS"] = port.ToString(),
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["Orleans__SiloPort"] = FreePort.Next().ToString(),
            ["Orleans__GatewayPort"] = FreePort.Next().ToString(),
            ["Orleans__SiloName"] = "test-silo",
            ["RECORDINGS_DIR"] = "recordings",
            ["DATA_DIR"] = "data",
            ["Logging__Console__FormatterName"] = "simple",
            // The developer's own Supabase settings must never leak into a test.
            ["SUPABASE_URL"] = null,
            ["NEXT_PUBLIC_SUPABASE_URL"] = null,
            ["SUPABASE_SERVICE_ROLE_KEY"] = null,
            ["SUPABASE_ANON_KEY"] = null,
            ["NEXT_PUBLIC_SUPABASE_ANON_KEY"] = null,
            ["ConnectionStrings__Postgres"] = null,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
            // Nor their access control: tests that want it on say so.
            ["Auth__JwtSecret"] = null,
            ["Auth__JwksUrl"] = null,
            ["Auth__SigningKey"] = null,
            ["Auth__Issuer"] = null,
            ["Auth__Audience"] = null,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        return new HostProcess(assemblyName, workingDirectory, environment);
    }

    /// <summary>Starts the host (again) on the same folders and port; returns once it answers HTTP.</summary>
    public async Task StartAgainAsync()
    {
        var hostAssembly = Path.Combine(AppContext.BaseDirectory, assemblyName + ".dll");
        string[] command = [.. CommandPrefix, "dotnet", "exec", hostAssembly];
        var start = new ProcessStartInfo(command[0], command[1..])
        {
            WorkingDirectory = WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the host.");
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) output.Enqueue(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) output.Enqueue(line.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                // Its last lines may still be on their way: this waits until both streams have ended.
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
                throw new InvalidOperationException($"The host exited with {process.ExitCode}:\n{Output}");
            }

            try
            {
                using var probe = await Client.GetAsync("/health/live");
                if (probe.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The host did not answer within 60 s:\n{Output}");
    }

    /// <summary>Stops the host the way an orchestrator does (SIGTERM), letting it leave the cluster cleanly.</summary>
    public async Task StopAsync()
    {
        if (process is { HasExited: false })
        {
            using var term = Process.Start("kill", ["-TERM", process.Id.ToString()]);
            await term.WaitForExitAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
    }

    /// <summary>Sends SIGTERM and returns at once: the host drains while the test goes on.</summary>
    public async Task SignalTerminateAsync()
    {
        using var term = Process.Start("kill", ["-TERM", process!.Id.ToString()]);
        await term.WaitForExitAsync();
    }

    /// <summary>Waits for the host to exit on its own; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        await process!.WaitForExitAsync().WaitAsync(within);
        return process.ExitCode;
    }

    /// <summary>Kills the host at once, as a crash would.</summary>
    public async Task KillAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Client.Dispose();
        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
