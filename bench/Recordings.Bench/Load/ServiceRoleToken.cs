using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Recordings.Bench.Load;

/// <summary>A service-role token (role: service_role, as Supabase's admin key carries) signed with the service's JWT secret.</summary>
public static class ServiceRoleToken
{
    public static string Mint(string secret) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Claims = new Dictionary<string, object> { ["role"] = "service_role" },
        Expires = DateTime.UtcNow.AddHours(12),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256),
    });
}
