using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Recordings.Api.Auth;

/// <summary>Mints session tokens (HS256, with Auth__JwtSecret or Auth__SigningKey) that this service verifies again.</summary>
public sealed class SessionTokenIssuer(IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler handler = new();

    public bool CanMint => options.Value.MintingKey() is not null;

    public (string Token, DateTimeOffset ExpiresAt) Mint(string sessionId, string scope, TimeSpan lifetime)
    {
        var settings = options.Value;
        var key = settings.MintingKey() ?? throw new InvalidOperationException("No key to sign session tokens with.");
        var now = time.GetUtcNow();
        var expiresAt = now + lifetime;
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = string.IsNullOrWhiteSpace(settings.Issuer) ? null : settings.Issuer,
            Audience = string.IsNullOrWhiteSpace(settings.Audience) ? null : settings.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expiresAt.UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                [RecordingsClaims.SessionId] = sessionId,
                [RecordingsClaims.Scope] = scope,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
        return (token, expiresAt);
    }
}
