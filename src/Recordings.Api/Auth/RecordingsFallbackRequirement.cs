using Microsoft.AspNetCore.Authorization;

namespace Recordings.Api.Auth;

/// <summary>
/// The fallback policy's requirement (requests whose endpoint declares no policy, or that match none): anything under
/// /recordings is the service role's only, so a new endpoint is never open by accident; other paths
/// (/health, /docs, /openapi.json, /recorder) are not this policy's business.
/// </summary>
public sealed record RecordingsFallbackRequirement : IAuthorizationRequirement
{
    public const string ProtectedPath = "/recordings";
}
