using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Recordings.ServiceDefaults.Postgres;

/// <summary>
/// Creates or refreshes the tables and OrleansQuery rows that Orleans' ADO.NET clustering and grain
/// storage need (RecordingsSchema.sql, embedded in this assembly). Safe to call from every silo on
/// every start: the script is idempotent and runs under a cluster-wide advisory lock.
/// </summary>
public static class PostgresSchemaInstaller
{
    /// <summary>Manifest name of the embedded script (set via LogicalName in the csproj).</summary>
    public const string ResourceName = "Recordings.ServiceDefaults.Postgres.RecordingsSchema.sql";

    // Arbitrary but fixed: every process installing this schema must use the same key.
    // 0x5245_434F_5244_5347 spells "RECORDSG" in ASCII.
    private const long AdvisoryLockKey = 0x5245_434F_5244_5347;

    private const int MaxAttempts = 6;
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(4);

    private static readonly Lazy<string> Script = new(LoadScript);

    public static async Task EnsureAsync(string connectionString, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(logger);

        var script = Script.Value;
        var delay = FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var elapsed = Stopwatch.StartNew();
                await RunOnceAsync(connectionString, script, cancellationToken).ConfigureAwait(false);
                logger.LogInformation("Orleans PostgreSQL schema is in place ({ElapsedMs} ms).", elapsed.ElapsedMilliseconds);
                return;
            }
            catch (NpgsqlException ex) when (ex.IsTransient && attempt < MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                // Typical at deploy time: the database container is still starting (connection refused,
                // 57P03 "the database system is starting up"). Everything was rolled back, so just retry.
                logger.LogWarning(
                    "PostgreSQL is not ready for the Orleans schema (attempt {Attempt} of {MaxAttempts}): {Reason}. Retrying in {DelayMs} ms.",
                    attempt, MaxAttempts, ex.Message, (int)delay.TotalMilliseconds);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

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
