namespace Recordings.Api.Auth;

/// <summary>Authorization policy names for the /recordings endpoints, and the scopes session tokens carry.</summary>
public static class RecordingsPolicies
{
    public const string Upload = "recordings:upload";
    public const string Read = "recordings:read";
    public const string Delete = "recordings:delete";

    /// <summary>Only the service role (the admin credential): minting session tokens.</summary>
    public const string ServiceRole = "service_role";

    public static readonly IReadOnlyList<string> Scopes = [Upload, Read, Delete];
}
