using System.Net;
using Recordings.Testing;
using Recordings.FunctionalTests.Infrastructure;

namespace Recordings.FunctionalTests.Telemetry;

/// <summary>Orleans' own dashboard on the silo's HTTP port: served when Orleans__Dashboard__Enabled=true, absent otherwise.</summary>
public sealed class OrleansDashboardTests
{
    [Fact]
    public async Task The_silo_serves_the_orleans_dashboard_when_it_is_enabled()
    {
        await using var silo = await HostProcess.StartSiloAsync(new Dictionary<string, string?>
        {
            ["Orleans__Dashboard__Enabled"] = "true",
            ["Orleans__SiloName"] = "dashboard-silo",
        });

        using var page = await silo.Client.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);

        // Its data comes from the running cluster: this silo, by name, among the hosts it lists.
        var counters = await WaitForCountersAsync(silo.Client, body => body.Contains("dashboard-silo", StringComparison.Ordinal));
        Assert.Contains("\"totalActiveHostCount\":1", counters);
    }

    [Fact]
    public async Task The_silo_has_no_dashboard_by_default()
    {
        await using var silo = await HostProcess.StartSiloAsync(new Dictionary<string, string?>());

        using var page = await silo.Client.GetAsync("/dashboard/");
        using var counters = await silo.Client.GetAsync("/dashboard/DashboardCounters");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, counters.StatusCode);
    }

    private static async Task<string> WaitForCountersAsync(HttpClient client, Func<string, bool> until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var response = await client.GetAsync("/dashboard/DashboardCounters");
            var body = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode && until(body))
            {
                return body;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"/dashboard/DashboardCounters answered {(int)response.StatusCode}: {body}");
            }

            await Task.Delay(250);
        }
    }
}
