using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Recordings.Api.Auth;

/// <summary>
/// Who may call the API (section "Auth"). Authentication is on when <see cref="JwtSecret"/> or <see cref="JwksUrl"/>
/// is set, off (as the seed was) when no setting is given.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>HS256 secret, e.g. the Supabase project's JWT secret; verifies tokens and signs minted ones.</summary>
    public string? JwtSecret { get; set; }

    /// <summary>A JSON Web Key Set of asymmetric verification keys, e.g. {SUPABASE_URL}/auth/v1/.well-known/jwks.json.</summary>
    public string? JwksUrl { get; set; }

    /// <summary>When set, a token's iss must equal it (and minted tokens carry it).</summary>
    public string? Issuer { get; set; }

    /// <summary>When set, a token's aud must contain it (and minted tokens carry it).</summary>
    public string? Audience { get; set; }

    /// <summary>HS256 key that signs (and verifies) minted tokens when only <see cref="JwksUrl"/> verifies the others.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Longest lifetime a minted token may ask for.</summary>
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    public bool Enabled => !string.IsNullOrWhiteSpace(JwtSecret) || !string.IsNullOrWhiteSpace(JwksUrl);

    /// <summary>The HS256 key minted tokens are signed with; null when the service cannot mint.</summary>
    /// <remarks>
    /// It has a key id because Microsoft.IdentityModel fails with a NullReferenceException, not a signature error, when
    /// a token names a kid that no key has and one of the keys (beside a JWKS) has none.
    /// </remarks>
    public SymmetricSecurityKey? MintingKey() =>
        (string.IsNullOrWhiteSpace(JwtSecret) ? SigningKey : JwtSecret) is { Length: > 0 } secret
            ? new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)) { KeyId = MintingKeyId }
            : null;

    public const string MintingKeyId = "recordings-session-tokens";
}
