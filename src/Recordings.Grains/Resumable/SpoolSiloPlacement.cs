using Orleans.Placement;
using Orleans.Runtime.Placement;

using Recordings.Abstractions;

namespace Recordings.Grains.Resumable;

/// <summary>Places a resumable upload on the silo named in its id, the one whose disk holds its spool.</summary>
[GenerateSerializer, Immutable]
public sealed class SpoolSiloPlacement : PlacementStrategy
{
    public static readonly SpoolSiloPlacement Instance = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SpoolSiloPlacementAttribute() : PlacementAttribute(SpoolSiloPlacement.Instance);

public sealed class SpoolSiloPlacementDirector(ISiloStatusOracle siloStatus, ILocalSiloDetails localSilo) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var wanted = ResumableUploadId.SiloOf(target.GrainIdentity.Key.ToString()!);
        foreach (var candidate in context.GetCompatibleSilos(target))
        {
            var name = candidate.Equals(localSilo.SiloAddress) ? localSilo.Name
                : siloStatus.TryGetSiloName(candidate, out var other) ? other : null;
            if (name == wanted)
            {
                return Task.FromResult(candidate);
            }
        }

        // Its bytes went with that silo: the client starts the upload again.
        throw new ResumableUploadGoneException();
    }
}
