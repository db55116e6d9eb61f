using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Tokens;

namespace Recordings.FunctionalTests.Auth;

/// <summary>
/// A JSON Web Key Set on loopback, as Supabase serves {SUPABASE_URL}/auth/v1/.well-known/jwks.json: the public half
/// of an RSA key generated for the test run. Signs RS256 tokens with the private half.
/// </summary>
public sealed class JwksServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private int requests;

    private JwksServer(WebApplication app, RsaSecurityKey key, Uri url)
    {
        this.app = app;
        Key = key;
        Url = url;
    }

    public RsaSecurityKey Key { get; }

    public Uri Url { get; }

    public int Requests => Volatile.Read(ref requests);

    /// <param name="port">A free loopback port to listen on; the OS picks one when null.</param>
    public static async Task<JwksServer> StartAsync(int? port = null)
    {
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };
        var publicJwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.Rsa.ExportParameters(false)) { KeyId = key.KeyId });
        publicJwk.Use = "sig";
        publicJwk.Alg = SecurityAlgorithms.RsaSha256;
        var document = JsonSerializer.Serialize(new
        {
            keys = new[] { new { kty = publicJwk.Kty, kid = publicJwk.Kid, use = publicJwk.Use, alg = publicJwk.Alg, n = publicJwk.N, e = publicJwk.E } },
        });

        port ??= FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var server = new JwksServer(app, key, new Uri($"http://127.0.0.1:{port}/auth/v1/.well-known/jwks.json"));
        app.MapGet("/auth/v1/.well-known/jwks.json", () =>
        {
            Interlocked.Increment(ref server.requests);
            return Results.Text(document, "application/json");
        });
        await app.StartAsync();
        return server;
    }

    public TestTokens Tokens(string? issuer = null, string? audience = null) => new(Key, SecurityAlgorithms.RsaSha256, issuer, audience);

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
