using System.Net;
using Recordings.Api.Auth;

namespace Recordings.FunctionalTests.Auth;

/// <summary>How the mode is chosen at start: off with one warning, on with a secret or JWKS, a bad combination fails.</summary>
public sealed class AuthStartupTests
{
    private static readonly string Secret = TestTokens.NewSecret();

    public static TheoryData<string, string> BadCombinations() => new()
    {
        // settings (k=v;k=v; {secret} is a secret generated for the run), words the start failure must hold
        { "Auth__Issuer=https://x.test", "neither Auth__JwtSecret nor Auth__JwksUrl" }, // issuer without a key
        { "Auth__SigningKey={secret}", "neither Auth__JwtSecret nor Auth__JwksUrl" }, // signing key alone
        { "Auth__JwtSecret={secret};Auth__SigningKey={secret}", "Auth__SigningKey is only for Auth__JwksUrl" }, // secret and signing key
        { "Auth__JwtSecret=short", "at least 32 bytes" }, // short secret
        { "Auth__JwksUrl=http://keys.example.com/jwks.json", "must be an https URL" }, // plain http jwks
        { "Auth__JwksUrl=not a url", "must be an https URL" }, // jwks not a url
        { "Auth__JwtSecret={secret};Auth__MaxTokenLifetime=00:00:10", "Auth__MaxTokenLifetime" }, // lifetime too short
        { "RateLimits__Uploads=-1", "RateLimits__Uploads" }, // negative limit
    };

    [Theory]
    [MemberData(nameof(BadCombinations))]
    public async Task A_bad_combination_of_settings_fails_the_start_with_a_clear_message(string settings, string expected)
    {
        var environment = settings.Split(';').Select(pair => pair.Split('=', 2)).ToDictionary(pair => pair[0], pair => (string?)pair[1].Replace("{secret}", Secret));

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => HostProcess.StartApiAsync(environment));

        Assert.Contains("The host exited", failure.Message);
        Assert.Contains(expected, failure.Message);
        Assert.DoesNotContain(Secret, failure.Message);
    }

    [Fact]
    public async Task Without_settings_auth_is_off_with_one_warning_and_uploads_are_limited_per_address()
    {
        await using var api = await HostProcess.StartApiAsync(new Dictionary<string, string?>
        {
            ["RateLimits__Uploads"] = "2",
            ["RateLimits__UploadWindow"] = "00:01:00",
        });
        var session = RecordingsHttp.NewSessionId();

        Assert.Single(api.Output.Split('\n'), line => line.Contains(AuthExtensions.OffWarning, StringComparison.Ordinal));
        await api.Client.UploadOkAsync(session, [1, 2, 3]);
        await api.Client.UploadOkAsync(session, [4, 5, 6]);
        using var limited = await AuthEndpoint.Upload.SendAsync(api.Client, session, "", token: null);
        await AuthAssert.TooManyAsync(limited);
        Assert.Equal(2, (await api.Client.ListAsync(session)).GetProperty("total_count").GetInt32());
        using var delete = await api.Client.DeleteAsync($"/recordings/{session}/{(await api.Client.ListAsync(session)).Filenames()[0]}");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);

        using var mint = await AuthEndpoint.Tokens.SendAsync(api.Client, session, "", token: null);
        await AuthAssert.DetailAsync(mint, HttpStatusCode.NotFound);
        var openApi = await api.Client.GetStringAsync("/openapi.json");
        Assert.DoesNotContain("securitySchemes", openApi);
    }
}
