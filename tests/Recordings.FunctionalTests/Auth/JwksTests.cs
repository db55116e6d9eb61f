using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Recordings.FunctionalTests.Auth;

/// <summary>
/// Verification with asymmetric keys from a JWKS URL (RS256), and minting with Auth__SigningKey beside it: the
/// service then verifies its own HS256 tokens with that key as well.
/// </summary>
public sealed class JwksTests : IAsyncLifetime
{
    private readonly string signingKey = TestTokens.NewSecret();
    private JwksServer jwks = null!;
    private HostProcess api = null!;

    public async Task InitializeAsync()
    {
        jwks = await JwksServer.StartAsync();
        api = await HostProcess.StartApiAsync(new Dictionary<string, string?>
        {
            ["Auth__JwksUrl"] = jwks.Url.ToString(),
            ["Auth__SigningKey"] = signingKey,
            ["RateLimits__FailedAuthentications"] = "0",
        });
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        await jwks.DisposeAsync();
    }

    [Fact]
    public async Task An_rs256_token_signed_with_a_key_of_the_set_is_accepted()
    {
        var session = RecordingsHttp.NewSessionId();

        using var upload = await AuthEndpoint.Upload.SendAsync(api.Client, session, "", jwks.Tokens().Session(session, "recordings:upload"));
        using var list = await AuthEndpoint.List.SendAsync(api.Client, session, "", jwks.Tokens().ServiceRole());

        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains("\"total_count\":1", await list.Content.ReadAsStringAsync());
        Assert.True(jwks.Requests > 0);
    }

    [Fact]
    public async Task A_token_signed_with_another_rsa_key_is_refused()
    {
        var stranger = new RsaSecurityKey(RSA.Create(2048)) { KeyId = jwks.Key.KeyId };
        var token = new TestTokens(stranger, SecurityAlgorithms.RsaSha256, null, null).ServiceRole();

        using var response = await AuthEndpoint.List.SendAsync(api.Client, RecordingsHttp.NewSessionId(), "", token);

        Assert.Equal("Token signature is invalid", await AuthAssert.UnauthorizedAsync(response));
    }

    [Fact]
    public async Task A_token_signed_with_the_signing_key_is_verified_and_minted_tokens_work()
    {
        var session = RecordingsHttp.NewSessionId();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/recordings/{session}/tokens")
        {
            Content = new StringContent("""{"scope": "recordings:upload recordings:read"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", jwks.Tokens().ServiceRole());
        using var minted = await api.Client.SendAsync(request);
        var token = (await RecordingsHttp.ReadJsonAsync(minted.EnsureSuccessStatusCode())).Str("token");

        using var upload = await AuthEndpoint.Upload.SendAsync(api.Client, session, "", token);

        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Equal(SecurityAlgorithms.HmacSha256, new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).Alg);
    }

    [Fact]
    public async Task An_hs256_token_signed_with_any_other_secret_is_refused()
    {
        var token = new TestTokens(TestTokens.NewSecret(), null, null).ServiceRole();

        using var response = await AuthEndpoint.List.SendAsync(api.Client, RecordingsHttp.NewSessionId(), "", token);

        await AuthAssert.UnauthorizedAsync(response);
    }

    [Fact]
    public async Task Keys_that_cannot_be_loaded_answer_503_and_are_loaded_once_the_jwks_answers()
    {
        var port = FreePort.Next();
        await using var keyless = await HostProcess.StartApiAsync(new Dictionary<string, string?>
        {
            ["Auth__JwksUrl"] = $"http://127.0.0.1:{port}/auth/v1/.well-known/jwks.json",
        });
        var token = jwks.Tokens().ServiceRole();

        using (var unavailable = await AuthEndpoint.List.SendAsync(keyless.Client, RecordingsHttp.NewSessionId(), "", token))
        {
            Assert.Contains("Auth__JwksUrl", await AuthAssert.DetailAsync(unavailable, HttpStatusCode.ServiceUnavailable));
        }

        Assert.Contains("Could not load the token signing keys", keyless.Output);
        // The same keys, now served where the host looks for them.
        await using var late = await JwksServer.StartAsync(port);
        token = late.Tokens().ServiceRole();
        using var answered = await AuthEndpoint.List.SendAsync(keyless.Client, RecordingsHttp.NewSessionId(), "", token);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
    }
}
