namespace Recordings.FunctionalTests.Telemetry;

[Collection(TelemetryCollection.Name)]
public sealed class ResourceTests(TelemetryApiFixture fixture)
{
    [Fact]
    public void The_standard_otel_variables_name_the_service_and_add_attributes()
    {
        var attributes = fixture.Resource.Attributes.ToDictionary(attribute => attribute.Key, attribute => attribute.Value);

        Assert.Equal(TelemetryApiFixture.ServiceName, attributes["service.name"]);
        Assert.Equal("test", attributes["deployment.environment"]);
        // Without an OTEL_RESOURCE_ATTRIBUTES entry for it, the instance is the silo's name: stable across restarts.
        Assert.Equal("telemetry-silo", attributes["service.instance.id"]);
    }
}
