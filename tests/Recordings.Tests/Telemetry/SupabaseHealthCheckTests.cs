using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Recordings.Grains;
using Recordings.ServiceDefaults.Health;

namespace Recordings.Tests.Telemetry;

public sealed class SupabaseHealthCheckTests
{
    [Fact]
    public async Task Without_credentials_supabase_is_degraded_as_fallback_and_the_host_stays_ready()
    {
        var configuration = new ConfigurationBuilder().Build();
        await using var services = new ServiceCollection().AddLogging().AddRecordingsStorage(configuration).BuildServiceProvider();
        var check = ActivatorUtilities.CreateInstance<SupabaseHealthCheck>(services);

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.StartsWith("fallback: ", result.Description);
    }
}
