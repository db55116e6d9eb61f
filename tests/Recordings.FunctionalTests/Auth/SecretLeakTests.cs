using System.Net;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Recordings.FunctionalTests.Auth;

/// <summary>
/// The secret and the tokens callers send are never in a response or a log line, at Debug level with ASP.NET Core's
/// own logging on, whether a token is accepted or refused, in the header or in the query string.
/// </summary>
public sealed class SecretLeakTests(AuthApiFixture fixture) : IClassFixture<AuthApiFixture>
{
    [Fact]
    public async Task Neither_the_secret_nor_any_token_appears_in_a_response_or_the_log()
    {
        var session = RecordingsHttp.NewSessionId();
        var tokens = fixture.Tokens;
        var sent = new List<string>();
        var answers = new StringBuilder();

        async Task SendAsync(AuthEndpoint endpoint, string? token, bool inQuery = false, string file = "x.webm")
        {
            if (token is not null)
            {
                sent.Add(token);
            }

            using var response = await endpoint.SendAsync(fixture.Client, session, file, token, inQuery);
            answers.AppendLine(response.Headers.ToString()).AppendLine(response.Content.Headers.ToString())
                .AppendLine(await response.Content.ReadAsStringAsync());
        }

        await SendAsync(AuthEndpoint.Upload, tokens.Session(session, "recordings:upload"));
        await SendAsync(AuthEndpoint.List, tokens.Session(session, "recordings:read"), inQuery: true);
        await SendAsync(AuthEndpoint.Download, tokens.Session(session, "recordings:read"), inQuery: true);
        await SendAsync(AuthEndpoint.Info, tokens.ServiceRole());
        await SendAsync(AuthEndpoint.List, tokens.ServiceRole(d => { d.NotBefore = d.IssuedAt = DateTime.UtcNow.AddHours(-1); d.Expires = DateTime.UtcNow.AddMinutes(-5); }), inQuery: true);
        await SendAsync(AuthEndpoint.Info, tokens.ServiceRole(d => d.Audience = "other"));
        await SendAsync(AuthEndpoint.Delete, tokens.ServiceRole(), inQuery: true);
        await SendAsync(AuthEndpoint.Delete, tokens.Session("other_session", "recordings:delete"));
        await SendAsync(AuthEndpoint.List, new TestTokens(TestTokens.NewSecret(), null, null).ServiceRole());
        await SendAsync(AuthEndpoint.List, "garbage." + tokens.ServiceRole());
        await SendAsync(AuthEndpoint.TusCreate, tokens.Session(session, "recordings:upload"));
        await SendAsync(AuthEndpoint.TusHead, tokens.Session(session, "recordings:upload"), inQuery: true, file: "0123456789abcdef");
        await SendAsync(AuthEndpoint.TusPatch, tokens.Session(session, "recordings:upload"), inQuery: true, file: "0123456789abcdef");

        // The recorder page opened as its README says, with the token in its own URL.
        var pageToken = tokens.Session(session, "recordings:upload recordings:read");
        sent.Add(pageToken);
        using (var page = await fixture.Client.GetAsync($"/recorder/?token={Uri.EscapeDataString(pageToken)}"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            answers.AppendLine(await page.Content.ReadAsStringAsync());
        }

        // A minted token is in its own answer by design; the secret and the caller's token are not.
        var caller = tokens.ServiceRole();
        using (var mint = await AuthEndpoint.Tokens.SendAsync(fixture.Client, session, "", caller))
        {
            var body = await mint.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, mint.StatusCode);
            Assert.DoesNotContain(fixture.Secret, body);
            Assert.DoesNotContain(caller, body);
            var minted = (await RecordingsHttp.ReadJsonAsync(mint)).Str("token");
            await SendAsync(AuthEndpoint.List, minted, inQuery: true);
        }

        sent.Add(caller);
        var output = fixture.Api.Output;
        Assert.Contains("was not authenticated", output); // the scan below covers the authentication log
        foreach (var secretText in Secrets(fixture.Secret, sent))
        {
            Assert.DoesNotContain(secretText, answers.ToString());
            Assert.DoesNotContain(secretText, output);
        }
    }

    /// <summary>The secret (also base64url-encoded), every token, and each token's signature on its own.</summary>
    private static IEnumerable<string> Secrets(string secret, List<string> tokens)
    {
        yield return secret;
        yield return Base64UrlEncoder.Encode(secret);
        foreach (var token in tokens)
        {
            yield return token;
            if (token.Split('.') is [_, _, { Length: > 10 } signature])
            {
                yield return signature;
            }
        }
    }
}
