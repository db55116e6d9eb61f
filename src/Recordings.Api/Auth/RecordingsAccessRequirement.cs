using Microsoft.AspNetCore.Authorization;

namespace Recordings.Api.Auth;

/// <summary>
/// The caller may act on the route's session: the service role always; otherwise a token whose session_id is that
/// session and whose scope holds <see cref="Scope"/>. A null scope means the service role only.
/// </summary>
public sealed record RecordingsAccessRequirement(string? Scope) : IAuthorizationRequirement;
