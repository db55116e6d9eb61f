using System.Collections.Concurrent;
using System.Diagnostics;
using Recordings.Tests.Infrastructure;

namespace Recordings.Bench.Hosting;

/// <summary>
/// The real Recordings.Api host (the build next to this app, so Release when the bench runs in Release) as a child
/// process on 127.0.0.1 with its own temp folder and ports. Its console output is drained; the last lines are kept
/// for error messages.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    private const int KeptOutputLines = 200;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private ApiHost(string name, Process process, Uri baseAddress, string workingDirectory)
    {
        Name = name;
        this.process = process;
        BaseAddress = baseAddress;
        WorkingDirectory = workingDirectory;
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    public int ProcessId => process.Id;

    public string WorkingDirectory { get; }

    public string RecentOutput => string.Join('\n', output);

    /// <summary>Path of the API assembly this bench runs.</summary>
    public static string AssemblyPath => typeof(Recordings.Api.Apis.RecordingsApi).Assembly.Location;

    /// <param name="supabase">Where the host stores recordings; null for none (every upload stays local).</param>
    /// <param name="extraEnvironment">Settings to try (--service-env); they win over the bench's own.</param>
    public static async Task<ApiHost> StartAsync(
        string name, (Uri Url, string Key)? supabase, string bucket, long maxUploadBytes, IReadOnlyDictionary<string, string> extraEnvironment,
        CancellationToken cancellationToken)
    {
        var workingDirectory = Directory.CreateTempSubdirectory("recordings-bench-api-").FullName;
        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet", ["exec", AssemblyPath])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var environment = SettingsFor(port, supabase, bucket, maxUploadBytes);
        foreach (var (key, value) in extraEnvironment)
        {
            environment[key] = value;
        }

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

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the API host.");
        var host = new ApiHost(name, process, new Uri($"http://127.0.0.1:{port}"), workingDirectory);
        try
        {
            await host.WaitUntilLiveAsync(cancellationToken);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
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
        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private static Dictionary<string, string?> SettingsFor(int port, (Uri Url, string Key)? supabase, string bucket, long maxUploadBytes) => new()
    {
        ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
        ["ASPNETCORE_HTTP_PORTS"] = null,
        ["DOTNET_ENVIRONMENT"] = "Production",
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Orleans__SiloPort"] = FreePort.Next().ToString(),
        ["Orleans__GatewayPort"] = FreePort.Next().ToString(),
        ["Orleans__SiloName"] = "bench-silo",
        ["RECORDINGS_DIR"] = "recordings",
        ["DATA_DIR"] = "data",
        ["Recordings__MaxUploadBytes"] = maxUploadBytes.ToString(),
        // The bench measures the upload path, not the limiter: one client uploads far more than a recorder would.
        ["RateLimits__Uploads"] = "0",
        // A production appsettings.json keeps ASP.NET Core's per-request lines out of the console; the host has none, so say it here.
        ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
        ["SUPABASE_URL"] = supabase?.Url.ToString(),
        ["SUPABASE_SERVICE_ROLE_KEY"] = supabase?.Key,
        ["Supabase__Bucket"] = bucket,
        // The developer's own settings must not change what is measured.
        ["NEXT_PUBLIC_SUPABASE_URL"] = null,
        ["SUPABASE_ANON_KEY"] = null,
        ["NEXT_PUBLIC_SUPABASE_ANON_KEY"] = null,
        ["SUPABASE_BUCKET"] = null,
        ["ConnectionStrings__Postgres"] = null,
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
    };

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > KeptOutputLines)
        {
            output.TryDequeue(out _);
        }
    }

    private async Task WaitUntilLiveAsync(CancellationToken cancellationToken)
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The {Name} API host exited with {process.ExitCode}:\n{RecentOutput}");
            }

            try
            {
                using var response = await probe.GetAsync("/health/live", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"The {Name} API host did not answer within {StartTimeout.TotalSeconds:0} s:\n{RecentOutput}");
    }
}
