using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Recordings.Hosting;

namespace Recordings.Hosting.Health;

/// <summary>In cluster mode PostgreSQL holds membership and grain state: without it nothing new can be served.</summary>
public sealed class PostgresHealthCheck(OrleansOptions settings) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!settings.IsCluster)
        {
            return HealthCheckResult.Healthy("not used: one-machine mode");
        }

        try
        {
            await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("PostgreSQL reachable");
        }
        catch (Exception exception) when (exception is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            // Npgsql's messages name the host and the user, never the password.
            return HealthCheckResult.Unhealthy($"PostgreSQL unreachable: {exception.Message}");
        }
    }
}
