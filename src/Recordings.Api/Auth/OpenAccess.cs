using Microsoft.AspNetCore.Authorization;

namespace Recordings.Api.Auth;

/// <summary>Why an endpoint under /recordings needs no token: kept beside the endpoint so a review (and a test) can read it.</summary>
public sealed record OpenAccessReason(string Reason);

public static class OpenAccess
{
    /// <summary>
    /// Marks an endpoint as open to anyone, with the reason. Under /recordings, an endpoint with neither a policy nor
    /// this falls to the catch-all (<see cref="RecordingsFallbackRequirement"/>): the service role only.
    /// </summary>
    public static TBuilder AllowAnonymousBecause<TBuilder>(this TBuilder builder, string reason)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return builder.WithMetadata(new AllowAnonymousAttribute(), new OpenAccessReason(reason));
    }
}
