using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Recordings.FunctionalTests.Auth;

/// <summary>JWTs as callers send them, signed with a secret generated for the test run (never a committed one).</summary>
public sealed class TestTokens(SecurityKey key, string algorithm, string? issuer, string? audience)
{
    private static readonly JsonWebTokenHandler Handler = new();

    public TestTokens(string secret, string? issuer, string? audience)
        : this(KeyOf(secret), SecurityAlgorithms.HmacSha256, issuer, audience)
    {
    }

    public static string NewSecret() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(48));

    public static SymmetricSecurityKey KeyOf(string secret) => new(Encoding.UTF8.GetBytes(secret));

    public string ServiceRole(Action<SecurityTokenDescriptor>? change = null) =>
        Create(new Dictionary<string, object> { ["role"] = "service_role" }, change);

    /// <summary>A token as this service mints them, or as an app's backend could: one session, some scopes.</summary>
    public string Session(string sessionId, string scope, Action<SecurityTokenDescriptor>? change = null) =>
        Create(new Dictionary<string, object> { ["role"] = "authenticated", ["session_id"] = sessionId, ["scope"] = scope }, change);

    /// <summary>Valid for ten minutes unless <paramref name="change"/> says otherwise.</summary>
    public string Create(Dictionary<string, object> claims, Action<SecurityTokenDescriptor>? change = null)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now.AddMinutes(-1),
            NotBefore = now.AddMinutes(-1),
            Expires = now.AddMinutes(10),
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, algorithm),
        };
        change?.Invoke(descriptor);
        return Handler.CreateToken(descriptor);
    }
}
