namespace Recordings.FunctionalTests.Telemetry;

/// <summary>
/// Activity and meter listeners are process-wide: while these tests listen, no other test may run grains or HTTP
/// in this process, or its spans and measurements would mix with theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection : ICollectionFixture<TelemetryApiFixture>
{
    public const string Name = "Telemetry";
}
