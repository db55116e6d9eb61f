using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Recordings.Api.Auth;

/// <summary>JwtBearer from <see cref="AuthOptions"/>: the keys, issuer, audience and lifetime a token is checked against.</summary>
public sealed class ConfigureJwtBearer(IOptions<AuthOptions> options, IHttpClientFactory httpClients) : IConfigureNamedOptions<JwtBearerOptions>
{
    public const string JwksHttpClient = "jwks";

    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public void Configure(string? name, JwtBearerOptions bearer)
    {
        if (name == JwtBearerDefaults.AuthenticationScheme)
        {
            Configure(bearer);
        }
    }

    public void Configure(JwtBearerOptions bearer)
    {
        var settings = options.Value;
        bearer.MapInboundClaims = false;
        bearer.SaveToken = true; // the upload rate limit is per token
        bearer.EventsType = typeof(RecordingsJwtEvents);
        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = !string.IsNullOrWhiteSpace(settings.Issuer),
            ValidIssuer = settings.Issuer,
            ValidateAudience = !string.IsNullOrWhiteSpace(settings.Audience),
            ValidAudience = settings.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = ClockSkew,
            ValidateIssuerSigningKey = true,
            IssuerSigningKey = settings.MintingKey(),
            ValidAlgorithms =
            [
                SecurityAlgorithms.HmacSha256, SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
                SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
            ],
            NameClaimType = "sub",
            RoleClaimType = RecordingsClaims.Role,
        };

        if (!string.IsNullOrWhiteSpace(settings.JwksUrl))
        {
            var url = new Uri(settings.JwksUrl);
            var documents = new HttpDocumentRetriever(httpClients.CreateClient(JwksHttpClient)) { RequireHttps = !AuthOptionsValidator.IsLoopback(url) };
            bearer.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(settings.JwksUrl, new JwksConfigurationRetriever(), documents);
        }
    }
}
