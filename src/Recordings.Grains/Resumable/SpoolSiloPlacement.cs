using Microsoft.Extensions.Hosting;
using Orleans.Placement;
using Orleans.Runtime.Placement;

using Recordings.Abstractions;

namespace Recordings.Grains.Resumable;

/// <summary>
/// Places a resumable upload on the silo named in its id, the one whose disk holds its spool. When that silo is gone
/// (dead, or draining) the upload goes to another: it continues there from what Supabase holds, or answers 404.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class SpoolSiloPlacement : PlacementStrategy
{
    public static readonly SpoolSiloPlacement Instance = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SpoolSiloPlacementAttribute() : PlacementAttribute(SpoolSiloPlacement.Instance);

public sealed class SpoolSiloPlacementDirector(
    ISiloStatusOracle siloStatus, ILocalSiloDetails localSilo, IHostApplicationLifetime lifetime) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var wanted = ResumableUploadId.SiloOf(target.GrainIdentity.Key.ToString()!);
        var localDraining = lifetime.ApplicationStopping.IsCancellationRequested || context.LocalSiloStatus != SiloStatus.Active;
        var all = context.GetCompatibleSilos(target);
        // A draining silo takes no upload while another can (a lone silo still serves what it holds).
        var compatible = localDraining && all.Any(candidate => !candidate.Equals(localSilo.SiloAddress))
            ? all.Where(candidate => !candidate.Equals(localSilo.SiloAddress)).ToArray()
            : all.ToArray();
        foreach (var candidate in compatible)
        {
            var name = candidate.Equals(localSilo.SiloAddress) ? localSilo.Name
                : siloStatus.TryGetSiloName(candidate, out var other) ? other : null;
            if (name == wanted)
            {
                return Task.FromResult(candidate);
            }
        }

        if (compatible.Length == 0)
        {
            throw new ResumableUploadGoneException();
        }

        return Task.FromResult(compatible.Contains(localSilo.SiloAddress)
            ? localSilo.SiloAddress
            : compatible[Random.Shared.Next(compatible.Length)]);
    }
}
