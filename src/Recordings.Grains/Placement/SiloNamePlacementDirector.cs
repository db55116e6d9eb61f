using Orleans.Runtime.Placement;
using Recordings.Abstractions;
using Recordings.Grains.SiloStore;

namespace Recordings.Grains.Placement;

public sealed class SiloNamePlacementDirector(ISiloStatusOracle siloStatus, ILocalSiloDetails localSilo) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var wanted = target.GrainIdentity.Key.ToString();
        foreach (var candidate in context.GetCompatibleSilos(target))
        {
            if (NameOf(candidate) == wanted)
            {
                return Task.FromResult(candidate);
            }
        }

        throw SiloStoreGuard.Unavailable(wanted);
    }

    private string? NameOf(SiloAddress address) =>
        address.Equals(localSilo.SiloAddress) ? localSilo.Name
        : siloStatus.TryGetSiloName(address, out var name) ? name
        : null;
}
