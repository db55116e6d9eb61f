using Orleans.Placement;

namespace Recordings.Grains.Placement;

/// <summary>Places a grain on the silo whose name is the grain's key, and nowhere else.</summary>
[GenerateSerializer, Immutable]
public sealed class SiloNamePlacement : PlacementStrategy
{
    public static readonly SiloNamePlacement Instance = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloNamePlacementAttribute() : PlacementAttribute(SiloNamePlacement.Instance);
