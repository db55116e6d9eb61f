using Microsoft.IdentityModel.Tokens;

namespace Recordings.FunctionalTests.Auth;

/// <summary>
/// Every endpoint refuses every token that does not authenticate with 401, WWW-Authenticate: Bearer and a detail,
/// and the refused request changes nothing. Each bad token is a service-role token but for its one defect, so
/// the defect alone is what is refused.
/// </summary>
public sealed class AuthRefusalTests(AuthApiFixture fixture) : IClassFixture<AuthApiFixture>
{
    public static TheoryData<string, string> EndpointsAndRefusals()
    {
        var data = new TheoryData<string, string>();
        foreach (var endpoint in AuthEndpoint.All)
        {
            foreach (var refusal in Refusals.Keys)
            {
                data.Add(endpoint.Name, refusal);
            }
        }

        return data;
    }

    // Refusal -> (the token, or null for none; the detail the 401 must give).
    private static readonly Dictionary<string, (Func<TestTokens, string?> Token, string Detail)> Refusals = new()
    {
        ["missing"] = (_ => null, "Not authenticated"),
        ["malformed"] = (_ => "not-a-jwt", "Token is malformed"),
        ["malformed_segments"] = (_ => "eyJub3Q.anNvbg.c2ln", "Token is malformed"),
        ["bad_signature"] = (_ => new TestTokens(TestTokens.NewSecret(), AuthApiFixture.Issuer, AuthApiFixture.Audience).ServiceRole(), "Token signature is invalid"),
        ["unsigned"] = (tokens => Unsigned(tokens.ServiceRole()), "Token signature is invalid"),
        ["expired_beyond_skew"] = (tokens => tokens.ServiceRole(d => { d.IssuedAt = d.NotBefore = DateTime.UtcNow.AddMinutes(-10); d.Expires = DateTime.UtcNow.AddSeconds(-45); }), "Token expired"),
        ["not_yet_valid"] = (tokens => tokens.ServiceRole(d => { d.IssuedAt = DateTime.UtcNow; d.NotBefore = DateTime.UtcNow.AddSeconds(45); }), "Token not yet valid"),
        ["wrong_issuer"] = (tokens => tokens.ServiceRole(d => d.Issuer = "https://other.test/auth/v1"), "Token issuer not accepted"),
        ["wrong_audience"] = (tokens => tokens.ServiceRole(d => d.Audience = "someone-else"), "Token audience not accepted"),
    };

    [Theory]
    [MemberData(nameof(EndpointsAndRefusals))]
    public async Task A_token_that_does_not_authenticate_is_refused_with_401_and_changes_nothing(string endpointName, string refusal)
    {
        var endpoint = AuthEndpoint.Named(endpointName);
        var (token, expectedDetail) = Refusals[refusal];
        var target = await AuthSeed.CreateAsync(fixture.Api, fixture.Tokens);
        var before = await RecordingsState.ReadAsync(fixture.Api, fixture.Tokens, target);

        using var response = await endpoint.SendAsync(fixture.Client, target, token(fixture.Tokens));

        Assert.Equal(endpoint.AnswersWithBody ? expectedDetail : null, await AuthAssert.UnauthorizedAsync(response));
        before.AssertSame(await RecordingsState.ReadAsync(fixture.Api, fixture.Tokens, target));
    }

    [Theory]
    [InlineData("info", "expired_beyond_skew")]
    [InlineData("download", "bad_signature")]
    [InlineData("list", "wrong_audience")]
    [InlineData("list", "malformed")]
    [InlineData("tus_head", "wrong_issuer")]
    [InlineData("tus_result", "expired_beyond_skew")]
    public async Task A_bad_token_in_the_query_string_is_refused_with_401(string endpointName, string refusal)
    {
        var endpoint = AuthEndpoint.Named(endpointName);
        var (token, expectedDetail) = Refusals[refusal];
        var target = await AuthSeed.CreateAsync(fixture.Api, fixture.Tokens);

        using var response = await endpoint.SendAsync(fixture.Client, target, token(fixture.Tokens), inQuery: true);

        Assert.Equal(endpoint.AnswersWithBody ? expectedDetail : null, await AuthAssert.UnauthorizedAsync(response));
    }

    [Fact]
    public async Task A_refused_upload_writes_no_file()
    {
        var session = RecordingsHttp.NewSessionId();
        using var form = RecordingsHttp.UploadForm(RecordingsHttp.RandomBytes(512 * 1024));

        using var response = await fixture.Client.PostAsync($"/recordings/upload/{session}", form);

        await AuthAssert.UnauthorizedAsync(response);
        Assert.False(Directory.Exists(Path.Combine(fixture.Api.RecordingsDirectory, session)));
        var spool = Path.Combine(fixture.Api.RecordingsDirectory, "~spool");
        Assert.True(!Directory.Exists(spool) || !Directory.EnumerateFiles(spool).Any());
        var state = await RecordingsState.ReadAsync(fixture.Api, fixture.Tokens, session);
        Assert.Contains("\"total_count\":0", state.List);
    }

    // alg "none": the header says so and the signature is empty.
    private static string Unsigned(string token)
    {
        var parts = token.Split('.');
        return $"{Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""")}.{parts[1]}.";
    }
}
