using System.Net;

namespace Recordings.FunctionalTests.Telemetry;

[Collection(TelemetryCollection.Name)]
public sealed class ReadinessTests(TelemetryApiFixture fixture)
{
    [Fact]
    public async Task Readiness_is_503_while_supabase_is_down_and_200_once_it_is_back()
    {
        var ready = await fixture.WaitForReadinessAsync(HttpStatusCode.OK);
        Assert.Equal("Healthy", Check(ready, "supabase"));
        Assert.Equal("Healthy", Check(ready, "orleans"));

        await fixture.Supabase.RefuseConnectionsAsync();
        try
        {
            var down = await fixture.WaitForReadinessAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal("Unhealthy", Check(down, "supabase"));
            Assert.Equal("Healthy", Check(down, "orleans"));
        }
        finally
        {
            await fixture.Supabase.AcceptConnectionsAsync();
        }

        var back = await fixture.WaitForReadinessAsync(HttpStatusCode.OK);
        Assert.Equal("Healthy", Check(back, "supabase"));
    }

    private static string Check(System.Text.Json.JsonElement report, string name) =>
        report.GetProperty("checks").GetProperty(name).GetProperty("status").GetString()!;
}
