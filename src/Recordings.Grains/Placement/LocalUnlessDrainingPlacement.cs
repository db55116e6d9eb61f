using Orleans.Placement;

namespace Recordings.Grains.Placement;

/// <summary>
/// On the silo that places the grain (the caller's, or the gateway's for a client call), unless that silo is shutting
/// down: then on another silo, so that a draining silo takes no new work.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class LocalUnlessDrainingPlacement : PlacementStrategy
{
    public static readonly LocalUnlessDrainingPlacement Instance = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class LocalUnlessDrainingPlacementAttribute() : PlacementAttribute(LocalUnlessDrainingPlacement.Instance);
