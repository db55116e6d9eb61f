using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Recordings.Hosting.Postgres;

/// <summary>
/// Creates or refreshes the tables and OrleansQuery rows that Orleans' ADO.NET clustering and grain
/// storage need (RecordingsSchema.sql, embedded in this assembly). Safe to call from every silo on
/// every start: the script is idempotent and runs under a cluster-wide advisory lock.
/// </summary>
public static class PostgresSchemaInstaller
{
    /// <summary>Manifest name of the embedded script (set via LogicalName in the csproj).</summary>
    public const string ResourceName = "Recordings.Hosting.Postgres.RecordingsSchema.sql";

    // Arbitrary but fixed: every process installing this schema must use the same key.
    // 0x5245_434F_5244_5347 spells "RECORDSG" in ASCII.
    private const long AdvisoryLockKey = 0x5245_434F_5244_5347;

    private static readonly Lazy<string> Script = new(LoadScript);

    /// <summary>
    /// Installs the schema, waiting for PostgreSQL as long as the host is starting: at deploy time the database is
    /// often still coming up (connection refused, 57P03). Says so once, then retries quietly with back-off.
    /// </summary>
    public static async Task EnsureAsync(string connectionString, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(logger);

        var script = Script.Value;
        var elapsed = Stopwatch.StartNew();
        await WaitForDatabase(logger).ExecuteAsync(
            async token => await RunOnceAsync(connectionString, script, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Orleans PostgreSQL schema is in place ({ElapsedMs} ms).", elapsed.ElapsedMilliseconds);
    }

    private static ResiliencePipeline WaitForDatabase(ILogger logger) => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            // Transient only (not reachable, starting up); a wrong password or database fails the start at once.
            ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(exception => exception.IsTransient),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(500),
            MaxDelay = TimeSpan.FromSeconds(10),
            OnRetry = retry =>
            {
                var level = retry.AttemptNumber == 0 ? LogLevel.Warning : LogLevel.Debug;
                logger.Log(level, "Waiting for PostgreSQL (retrying with back-off until it answers): {Reason}", retry.Outcome.Exception?.Message);
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    private static async Task RunOnceAsync(string connectionString, string script, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Silos starting together would otherwise race on CREATE TABLE IF NOT EXISTS (which is not
        // concurrency-safe in PostgreSQL). The lock is released by COMMIT/ROLLBACK. It is taken in its
        // own command so that every statement of the script gets a snapshot taken after the lock.
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", AdvisoryLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var scriptCommand = new NpgsqlCommand(script, connection, transaction))
        {
            await scriptCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string LoadScript()
    {
        using var stream = typeof(PostgresSchemaInstaller).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException(
                $"Embedded resource '{ResourceName}' is missing; the csproj must embed Postgres/RecordingsSchema.sql with that LogicalName.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
