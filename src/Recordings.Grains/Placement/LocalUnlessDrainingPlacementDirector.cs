using Microsoft.Extensions.Hosting;
using Orleans.Runtime.Placement;

namespace Recordings.Grains.Placement;

/// <summary>
/// Places on this silo while it runs; once the host is stopping (SIGTERM), on a random other compatible silo. A silo
/// that is the only one left still takes the grain: better a short upload than a refused one.
/// </summary>
public sealed class LocalUnlessDrainingPlacementDirector(IHostApplicationLifetime lifetime) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var compatible = context.GetCompatibleSilos(target);
        var local = context.LocalSilo;
        var draining = lifetime.ApplicationStopping.IsCancellationRequested || context.LocalSiloStatus != SiloStatus.Active;
        if (!draining && compatible.Contains(local))
        {
            return Task.FromResult(local);
        }

        var others = compatible.Where(silo => !silo.Equals(local)).ToArray();
        return Task.FromResult(others.Length > 0 ? others[Random.Shared.Next(others.Length)] : local);
    }
}
