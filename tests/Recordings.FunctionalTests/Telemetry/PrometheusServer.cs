using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Recordings.Testing;
using Recordings.FunctionalTests.Infrastructure;

namespace Recordings.FunctionalTests.Telemetry;

/// <summary>
/// Debian's Prometheus as a child process on loopback, with a temp config and database, scraping the given targets
/// every second under one job name; queries go through its HTTP API.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly string directory;
    private readonly ConcurrentQueue<string> output = new();
    private readonly HttpClient http;

    private PrometheusServer(Process process, string directory, int port)
    {
        this.process = process;
        this.directory = directory;
        http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) output.Enqueue(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) output.Enqueue(line.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output => string.Join('\n', output);

    public static async Task<PrometheusServer> StartAsync(string job, params string[] targets)
    {
        var directory = Directory.CreateTempSubdirectory("recordings-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: {job}
                static_configs:
                  - targets: [{string.Join(", ", targets.Select(target => $"\"{target}\""))}]
            """);

        var port = FreePort.Next();
        var start = new ProcessStartInfo("prometheus",
        [
            $"--config.file={config}",
            $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var prometheus = new PrometheusServer(Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start."), directory, port);
        await prometheus.WaitUntilReadyAsync();
        return prometheus;
    }

    /// <summary>An instant query; the "result" array of its answer (one element per series).</summary>
    public async Task<JsonElement[]> QueryAsync(string expression)
    {
        using var response = await http.GetAsync($"/api/v1/query?query={Uri.EscapeDataString(expression)}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"Prometheus rejected `{expression}`: {body}");
        return [.. body.GetProperty("data").GetProperty("result").EnumerateArray()];
    }

    /// <summary>Polls <paramref name="expression"/> until it returns a series (Prometheus scrapes every second).</summary>
    public async Task<JsonElement[]> WaitForSeriesAsync(string expression, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var result = await QueryAsync(expression);
            if (result.Length > 0)
            {
                return result;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"`{expression}` returned no series within {within}.\n{Output}");
            }

            await Task.Delay(250);
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with {process.ExitCode}:\n{Output}");
            }

            try
            {
                using var ready = await http.GetAsync("/-/ready");
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"prometheus was not ready within 30 s:\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}
