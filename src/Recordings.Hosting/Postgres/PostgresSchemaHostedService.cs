using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Recordings.Hosting;

namespace Recordings.Hosting.Postgres;

/// <summary>Creates the Orleans tables before Orleans starts (registered ahead of it, and hosted services start in order).</summary>
public sealed class PostgresSchemaHostedService(OrleansOptions settings, ILogger<PostgresSchemaHostedService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        PostgresSchemaInstaller.EnsureAsync(settings.PostgresConnectionString!, logger, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
