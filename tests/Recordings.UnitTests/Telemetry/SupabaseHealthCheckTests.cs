using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Recordings.Hosting.Health;
using Recordings.Supabase;

namespace Recordings.UnitTests.Telemetry;

public sealed class SupabaseHealthCheckTests
{
    [Fact]
    public async Task Without_credentials_supabase_is_degraded_as_fallback_and_the_host_stays_ready()
    {
        var configuration = new ConfigurationBuilder().Build();
        await using var services = new ServiceCollection().AddLogging().AddSupabaseStorage(configuration.GetSection("Supabase")).BuildServiceProvider();
        var check = ActivatorUtilities.CreateInstance<SupabaseHealthCheck>(services);

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.StartsWith("fallback: ", result.Description);
    }
}
