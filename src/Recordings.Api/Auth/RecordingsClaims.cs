using System.Security.Claims;

namespace Recordings.Api.Auth;

/// <summary>The JWT claims this service reads: Supabase's role, and the session and scope of a session token.</summary>
public static class RecordingsClaims
{
    public const string Role = "role";
    public const string SessionId = "session_id";
    public const string Scope = "scope";
    public const string ServiceRole = "service_role";

    public static bool IsServiceRole(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.HasClaim(Role, ServiceRole);

    /// <summary>Scopes are space-separated; a token may also carry them as a JSON array (several claims).</summary>
    public static HashSet<string> Scopes(this ClaimsPrincipal user) =>
        user.FindAll(Scope).SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);
}
