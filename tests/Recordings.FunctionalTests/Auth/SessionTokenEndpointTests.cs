using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Recordings.FunctionalTests.Auth;

/// <summary>POST /recordings/{session_id}/tokens: the service role mints tokens that cover one session, some scopes, a while.</summary>
public sealed class SessionTokenEndpointTests(AuthApiFixture fixture) : IClassFixture<AuthApiFixture>
{
    [Fact]
    public async Task A_minted_token_defaults_to_upload_and_read_for_an_hour_and_works_for_its_session_only()
    {
        var session = RecordingsHttp.NewSessionId();
        var before = DateTimeOffset.UtcNow;

        var (status, body) = await MintAsync(session, null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(session, body.Str("session_id"));
        Assert.Equal("recordings:upload recordings:read", body.Str("scope"));
        var expiresAt = DateTimeOffset.Parse(body.Str("expires_at"), CultureInfo.InvariantCulture);
        Assert.InRange(expiresAt, before.AddSeconds(3600 - 2), DateTimeOffset.UtcNow.AddSeconds(3600 + 1));

        var token = body.Str("token");
        var claims = new JsonWebToken(token);
        Assert.Equal(session, claims.GetClaim("session_id").Value);
        Assert.Equal("recordings:upload recordings:read", claims.GetClaim("scope").Value);
        Assert.Equal(AuthApiFixture.Issuer, claims.Issuer);
        Assert.Contains(AuthApiFixture.Audience, claims.Audiences);
        Assert.Equal(expiresAt.ToUnixTimeSeconds(), new DateTimeOffset(claims.ValidTo).ToUnixTimeSeconds());
        Assert.False(claims.TryGetClaim("role", out _));

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(AuthEndpoint.Upload, session, "", token));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(AuthEndpoint.List, session, "", token));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(AuthEndpoint.List, RecordingsHttp.NewSessionId(), "", token));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(AuthEndpoint.Delete, session, "any.webm", token));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(AuthEndpoint.Tokens, session, "", token));
    }

    [Fact]
    public async Task A_minted_token_carries_the_scope_and_lifetime_asked_for()
    {
        var session = RecordingsHttp.NewSessionId();
        var upload = await MintTokenAsync(session, """{"scope": "recordings:upload"}""");
        using (var form = RecordingsHttp.UploadForm([1, 2, 3]))
        using (var request = new HttpRequestMessage(HttpMethod.Post, $"/recordings/upload/{session}") { Content = form })
        {
            request.Headers.Authorization = new("Bearer", upload);
            (await fixture.Client.SendAsync(request)).EnsureSuccessStatusCode();
        }

        var (status, body) = await MintAsync(session, """{"scope": "recordings:delete recordings:read", "expires_in": 120}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("recordings:delete recordings:read", body.Str("scope"));
        var claims = new JsonWebToken(body.Str("token"));
        Assert.Equal(120, (claims.ValidTo - claims.IssuedAt).TotalSeconds);
        var list = await fixture.Client.GetFromJsonAsync<JsonElement>($"/recordings/{session}/list?token={Uri.EscapeDataString(body.Str("token"))}");
        var file = list.Filenames().Single();
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(AuthEndpoint.Delete, session, file, body.Str("token")));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(AuthEndpoint.Upload, session, "", body.Str("token")));
    }

    [Theory]
    [InlineData("""{"expires_in": 7201}""", "expires_in")] // over Auth__MaxTokenLifetime (2 h here)
    [InlineData("""{"expires_in": 0}""", "expires_in")]
    [InlineData("""{"expires_in": -5}""", "expires_in")]
    [InlineData("""{"scope": "recordings:admin"}""", "scope")]
    [InlineData("""{"scope": "recordings:read openid"}""", "scope")]
    [InlineData("""{"scope": " "}""", "scope")]
    [InlineData("""{"scope": 7}""", "JSON")]
    [InlineData("""not json""", "JSON")]
    public async Task A_bad_request_for_a_token_is_422_with_a_detail_and_mints_nothing(string json, string expected)
    {
        var (status, body) = await MintAsync(RecordingsHttp.NewSessionId(), json);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains(expected, body.Str("detail"));
        Assert.False(body.TryGetProperty("token", out _));
    }

    [Fact]
    public async Task The_longest_allowed_lifetime_is_granted()
    {
        var (status, body) = await MintAsync(RecordingsHttp.NewSessionId(), """{"expires_in": 7200}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var claims = new JsonWebToken(body.Str("token"));
        Assert.Equal(7200, (claims.ValidTo - claims.IssuedAt).TotalSeconds);
    }

    [Fact]
    public async Task Only_the_service_role_may_mint()
    {
        var session = RecordingsHttp.NewSessionId();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/recordings/{session}/tokens") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", fixture.Tokens.Session(session, "recordings:upload recordings:read recordings:delete"));

        using var response = await fixture.Client.SendAsync(request);

        Assert.Contains("service role", await AuthAssert.DetailAsync(response, HttpStatusCode.Forbidden));
    }

    private async Task<string> MintTokenAsync(string session, string json)
    {
        var (status, body) = await MintAsync(session, json);
        Assert.Equal(HttpStatusCode.OK, status);
        return body.Str("token");
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> MintAsync(string session, string? json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/recordings/{session}/tokens");
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        request.Headers.Authorization = new("Bearer", fixture.Tokens.ServiceRole());
        using var response = await fixture.Client.SendAsync(request);
        return (response.StatusCode, await RecordingsHttp.ReadJsonAsync(response));
    }

    private async Task<HttpStatusCode> StatusAsync(AuthEndpoint endpoint, string session, string file, string token)
    {
        using var response = await endpoint.SendAsync(fixture.Client, session, file, token);
        return response.StatusCode;
    }
}
