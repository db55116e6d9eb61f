using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace Recordings.Testing;

/// <summary>
/// A throwaway PostgreSQL server for tests: its own data folder under the temp directory,
/// loopback TCP on a free port, trust auth, durability switched off. Nothing outlives DisposeAsync.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    // initdb refuses to run as root, so under root the cluster is owned and run by this account
    // (Debian's postgresql package creates it).
    private const string ServiceAccount = "postgres";
    private const string SuperUser = "postgres";
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(90);

    private readonly string _binDir;
    private readonly string _rootDir;
    private readonly string _dataDir;
    private readonly string _logFile;
    private readonly bool _runAsServiceAccount;
    private readonly int _port;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _running;
    private bool _disposed;

    private PostgresServer(string binDir, string rootDir, bool runAsServiceAccount, int port)
    {
        _binDir = binDir;
        _rootDir = rootDir;
        _dataDir = Path.Combine(rootDir, "data");
        _logFile = Path.Combine(rootDir, "server.log");
        _runAsServiceAccount = runAsServiceAccount;
        _port = port;
        ConnectionString = BuildConnectionString("postgres");
    }

    /// <summary>Connection string for the maintenance database "postgres" as superuser.</summary>
    public string ConnectionString { get; }

    public int Port => _port;

    /// <summary>Finds the binaries, initdb's a fresh cluster into a temp folder and starts it.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var binDir = FindBinDir();
        var runAsServiceAccount = Environment.IsPrivilegedProcess;
        if (runAsServiceAccount && !AccountExists(ServiceAccount))
        {
            throw new InvalidOperationException(
                $"Running as root, but there is no '{ServiceAccount}' account to run PostgreSQL as (initdb refuses root). " +
                "Install Debian's postgresql package (it creates the account): apt-get update && apt-get install -y postgresql");
        }

        // Under root, TMPDIR may sit below a folder the service account cannot enter; /tmp always works.
        var tempRoot = runAsServiceAccount ? "/tmp" : Path.GetTempPath();
        var rootDir = Path.Combine(tempRoot, "recordings-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(rootDir);

        var server = new PostgresServer(binDir, rootDir, runAsServiceAccount, FindFreeLoopbackPort());
        try
        {
            await server.InitAsync();
            await server.StartAgainAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty database and returns a connection string for it.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        if (!IsSimpleName(name))
        {
            throw new ArgumentException($"'{name}' is not a simple database name ([A-Za-z_][A-Za-z0-9_]{{0,62}}).", nameof(name));
        }

        await using (var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false"))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return BuildConnectionString(name);
    }

    /// <summary>Stops the server (fast shutdown); the data folder and the port are kept for <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (!_running)
            {
                return;
            }

            await RunToolAsync("pg_ctl", ["-D", _dataDir, "-m", "fast", "-w", "-t", "60", "stop"]);
            _running = false;

            // Idle pooled connections now point at a dead server; drop them so the next open dials anew.
            NpgsqlConnection.ClearAllPools();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts the server again on the same data folder and port.</summary>
    public async Task StartAgainAsync()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync();
        try
        {
            if (_running)
            {
                return;
            }

            try
            {
                // -w waits until the server accepts connections, so callers can connect right away.
                await RunToolAsync("pg_ctl", ["-D", _dataDir, "-l", _logFile, "-w", "-t", "60", "start"]);
            }
            catch (InvalidOperationException ex)
            {
                throw new InvalidOperationException($"{ex.Message}{Environment.NewLine}--- server.log ---{Environment.NewLine}{ReadLogTail()}", ex);
            }

            _running = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the server (immediate shutdown) and deletes the temp folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;

        // postmaster.pid also covers a start that timed out after the server had come up.
        if (_running || File.Exists(Path.Combine(_dataDir, "postmaster.pid")))
        {
            try
            {
                // Nothing is kept, so there is no point in a clean checkpoint.
                await RunToolAsync("pg_ctl", ["-D", _dataDir, "-m", "immediate", "-w", "-t", "30", "stop"]);
            }
            catch (Exception)
            {
                // Best effort. A server left behind shuts itself down within a minute once postmaster.pid is gone.
            }

            _running = false;
            NpgsqlConnection.ClearAllPools();
        }

        try
        {
            Directory.Delete(_rootDir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        _gate.Dispose();
    }

    private string BuildConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = IPAddress.Loopback.ToString(),
            Port = _port,
            Username = SuperUser,
            Database = database,
            IncludeErrorDetail = true,
        }.ConnectionString;

    private async Task InitAsync()
    {
        var socketDir = Path.Combine(_rootDir, "sock");
        Directory.CreateDirectory(socketDir);

        if (_runAsServiceAccount)
        {
            // The whole folder (data, log, socket dir) must belong to the account that runs the server.
            await RunAsync("chown", ["-R", $"{ServiceAccount}:", _rootDir], asServiceAccount: false);
        }

        await RunToolAsync("initdb",
        [
            "-D", _dataDir,
            "-U", SuperUser,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        ]);

        // Appended settings win over initdb's defaults. Durability is off on purpose: the data is throwaway.
        var settings = new StringBuilder()
            .AppendLine()
            .AppendLine("# recordings test server")
            .AppendLine("listen_addresses = '127.0.0.1'")
            .AppendLine($"port = {_port}")
            .AppendLine($"unix_socket_directories = '{socketDir}'")
            .AppendLine("max_connections = 200")
            .AppendLine("fsync = off")
            .AppendLine("synchronous_commit = off")
            .AppendLine("full_page_writes = off")
            .AppendLine("log_min_messages = warning")
            .ToString();
        await File.AppendAllTextAsync(Path.Combine(_dataDir, "postgresql.conf"), settings);
    }

    private Task RunToolAsync(string tool, IReadOnlyList<string> arguments) =>
        RunAsync(Path.Combine(_binDir, tool), arguments, _runAsServiceAccount);

    private async Task RunAsync(string fileName, IReadOnlyList<string> arguments, bool asServiceAccount)
    {
        var startInfo = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The service account may not be able to enter the caller's working directory.
            WorkingDirectory = _rootDir,
        };

        if (asServiceAccount)
        {
            startInfo.FileName = "runuser";
            startInfo.ArgumentList.Add("-u");
            startInfo.ArgumentList.Add(ServiceAccount);
            startInfo.ArgumentList.Add("--");
            startInfo.ArgumentList.Add(fileName);
        }
        else
        {
            startInfo.FileName = fileName;
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var commandLine = string.Join(' ', startInfo.ArgumentList.Prepend(startInfo.FileName));
        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start '{commandLine}'.");

        // pg_ctl hands the server's output to the log file, so these pipes close when pg_ctl exits.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ToolTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"'{commandLine}' did not finish within {ToolTimeout.TotalSeconds:0} s.");
        }

        var output = (await stdout) + (await stderr);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{commandLine}' exited with {process.ExitCode}:{Environment.NewLine}{output.Trim()}");
        }
    }

    private string ReadLogTail()
    {
        try
        {
            var lines = File.ReadAllLines(_logFile);
            return string.Join(Environment.NewLine, lines.Skip(Math.Max(0, lines.Length - 30)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "(no server log)";
        }
    }

    private static string FindBinDir()
    {
        static bool HasServerTools(string? dir) =>
            !string.IsNullOrEmpty(dir)
            && File.Exists(Path.Combine(dir, "initdb"))
            && File.Exists(Path.Combine(dir, "pg_ctl"));

        var fromEnvironment = Environment.GetEnvironmentVariable("PG_BIN_DIR");
        if (HasServerTools(fromEnvironment))
        {
            return fromEnvironment!;
        }

        var fromPgConfig = TryPgConfigBinDir();
        if (HasServerTools(fromPgConfig))
        {
            return fromPgConfig!;
        }

        // Debian keeps server binaries out of PATH, one folder per major version; take the newest.
        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(dir => (Dir: Path.Combine(dir, "bin"), Version: int.TryParse(Path.GetFileName(dir), out var v) ? v : -1))
                .Where(candidate => HasServerTools(candidate.Dir))
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => candidate.Dir)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found via PG_BIN_DIR, 'pg_config --bindir' or /usr/lib/postgresql/*/bin. " +
            "Install Debian's postgresql package: apt-get update && apt-get install -y postgresql");
    }

    private static string? TryPgConfigBinDir()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pg_config", "--bindir")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // pg_config is not installed.
            return null;
        }
    }

    private static bool AccountExists(string name) =>
        File.Exists("/etc/passwd")
        && File.ReadLines("/etc/passwd").Any(line => line.StartsWith(name + ":", StringComparison.Ordinal));

    private static int FindFreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // Keeps CREATE DATABASE free of quoting surprises.
    private static bool IsSimpleName(string name) =>
        name.Length is > 0 and <= 63
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
