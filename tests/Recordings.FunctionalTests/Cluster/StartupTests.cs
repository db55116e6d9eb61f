namespace Recordings.FunctionalTests.Cluster;

/// <summary>Hosts started before their PostgreSQL is up wait for it, and say so once.</summary>
[Collection("postgres")]
public sealed class StartupTests(PostgresFixture fixture)
{
    [Fact]
    public async Task A_silo_whose_postgres_is_not_up_yet_waits_for_it_with_one_clear_log_line()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync("startup_" + Guid.NewGuid().ToString("N")[..8]);
        await fixture.Server.StopAsync();
        await using var silo = HostProcess.Define("Recordings.Silo", new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = connectionString,
            ["SILO_NAME"] = "waiting-silo",
            ["Orleans__SiloName"] = "waiting-silo",
            ["Orleans__AdvertisedAddress"] = "127.0.0.1",
        });
        try
        {
            var starting = silo.StartAgainAsync();
            await WaitForOutputAsync(silo, starting, "Waiting for PostgreSQL");
            await fixture.Server.StartAgainAsync();
            await starting;

            Assert.Single(silo.Output.Split('\n'), line => line.Contains("Waiting for PostgreSQL", StringComparison.Ordinal));
            Assert.DoesNotContain("Unhandled exception", silo.Output, StringComparison.Ordinal);
            await WaitForReadyAsync(silo);
        }
        finally
        {
            await fixture.Server.StartAgainAsync();
        }
    }

    // The host is not answering HTTP yet, so its output is the only sign of where it is.
    private static async Task WaitForOutputAsync(HostProcess host, Task starting, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!host.Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.False(starting.IsCompleted, "the silo started (or failed) without waiting for PostgreSQL");
            Assert.True(DateTime.UtcNow < deadline, $"no '{text}' within 60 s:\n{host.Output}");
            await Task.Delay(100);
        }
    }

    private static async Task WaitForReadyAsync(HostProcess silo)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await silo.Client.GetAsync("/health/ready");
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the silo did not become ready: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(200);
        }
    }
}
