using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Recordings.Abstractions;
using Recordings.Hosting.Postgres;
using Recordings.Testing;
using Recordings.FunctionalTests.Infrastructure;

namespace Recordings.FunctionalTests.Cluster;

/// <summary>The project's own schema for Orleans' ADO.NET providers, installed by every host at start.</summary>
[Collection("postgres")]
public sealed class PostgresSchemaTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Hosts_starting_at_once_install_the_schema_once_and_a_second_start_changes_nothing()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync("schema_" + Guid.NewGuid().ToString("N")[..8]);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgresSchemaInstaller.EnsureAsync(connectionString, NullLogger.Instance)));
        var afterFirst = await SnapshotAsync(connectionString);
        await PostgresSchemaInstaller.EnsureAsync(connectionString, NullLogger.Instance);
        var afterSecond = await SnapshotAsync(connectionString);

        Assert.Contains("orleansquery", afterFirst.Tables);
        Assert.True(afterFirst.Queries.Count >= 12, $"only {afterFirst.Queries.Count} provider queries installed");
        Assert.Equal(afterFirst, afterSecond);
    }

    // Tables, and every query row with the transaction id that last wrote it: a rewrite would change xmin.
    private static async Task<Snapshot> SnapshotAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var command = new NpgsqlCommand("SELECT lower(table_name) FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var queries = new List<string>();
        await using (var command = new NpgsqlCommand("SELECT querykey || ':' || xmin::text || ':' || md5(querytext) FROM orleansquery ORDER BY querykey", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                queries.Add(reader.GetString(0));
            }
        }

        return new Snapshot(string.Join(",", tables), queries);
    }

    private sealed record Snapshot(string Tables, List<string> Queries)
    {
        public bool Equals(Snapshot? other) => other is not null && Tables == other.Tables && Queries.SequenceEqual(other.Queries);

        public override int GetHashCode() => Tables.GetHashCode();
    }
}
