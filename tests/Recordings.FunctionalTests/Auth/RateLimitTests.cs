using System.Net;

namespace Recordings.FunctionalTests.Auth;

/// <summary>
/// 429 with Retry-After and a detail once a client address has failed to authenticate too often, or a token has
/// uploaded too often; and service again once the Retry-After has passed. Tiny limits and windows, set for the test.
/// </summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private const int Limit = 3;
    private readonly string secret = TestTokens.NewSecret();
    private HostProcess api = null!;

    private TestTokens Tokens => new(secret, null, null);

    public async Task InitializeAsync() => api = await HostProcess.StartApiAsync(new Dictionary<string, string?>
    {
        ["Auth__JwtSecret"] = secret,
        ["RateLimits__FailedAuthentications"] = Limit.ToString(),
        // Long enough that the checks made while blocked fall in the same window on a busy machine.
        ["RateLimits__FailedAuthenticationWindow"] = "00:00:10",
        ["RateLimits__Uploads"] = Limit.ToString(),
        ["RateLimits__UploadWindow"] = "00:00:03",
    });

    public async Task DisposeAsync() => await api.DisposeAsync();

    [Fact]
    public async Task Failed_authentications_from_one_address_get_429_then_service_again_after_retry_after()
    {
        var session = RecordingsHttp.NewSessionId();
        var forged = new TestTokens(TestTokens.NewSecret(), null, null).ServiceRole();
        var failures = 0;
        HttpResponseMessage? blocked = null;
        // The window may roll over meanwhile, so fail until the first 429 (at most two windows' worth).
        for (var i = 0; i < 2 * Limit + 1 && blocked is null; i++)
        {
            var response = await AuthEndpoint.List.SendAsync(api.Client, session, "", forged);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                blocked = response;
            }
            else
            {
                await AuthAssert.UnauthorizedAsync(response);
                failures++;
                response.Dispose();
            }
        }

        Assert.NotNull(blocked);
        Assert.True(failures >= Limit, $"blocked after {failures} failures");
        var retryAfter = await AuthAssert.TooManyAsync(blocked);
        blocked.Dispose();
        // Blocked means blocked: even a valid token is not looked at until the window passes.
        using var validButBlocked = await AuthEndpoint.List.SendAsync(api.Client, session, "", Tokens.ServiceRole());
        await AuthAssert.TooManyAsync(validButBlocked);
        // Endpoints that need no token are not affected.
        using var health = await api.Client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        await Task.Delay(retryAfter);
        Assert.Equal(HttpStatusCode.OK, await StatusSoonAfterAsync(() => AuthEndpoint.List.SendAsync(api.Client, session, "", Tokens.ServiceRole())));
    }

    [Fact]
    public async Task Uploads_are_limited_per_token_with_429_that_stores_nothing_and_recover_after_retry_after()
    {
        var session = RecordingsHttp.NewSessionId();
        var token = Tokens.Session(session, "recordings:upload recordings:read");
        var (accepted, refused) = await SendUntilRefusedAsync(() => AuthEndpoint.Upload.SendAsync(api.Client, session, "", token), HttpStatusCode.OK);
        var retryAfter = await AuthAssert.TooManyAsync(refused);
        refused.Dispose();
        Assert.Equal(accepted, await CountAsync(session));

        // Another token of the same session has its own budget; the service role has none.
        using var other = await AuthEndpoint.Upload.SendAsync(api.Client, session, "", Tokens.Session(session, "recordings:upload"));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        for (var i = 0; i < Limit + 1; i++)
        {
            using var admin = await AuthEndpoint.Upload.SendAsync(api.Client, session, "", Tokens.ServiceRole());
            Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        }

        await Task.Delay(retryAfter);
        Assert.Equal(HttpStatusCode.OK, await StatusSoonAfterAsync(() => AuthEndpoint.Upload.SendAsync(api.Client, session, "", token)));
        Assert.Equal(accepted + 1 + (Limit + 1) + 1, await CountAsync(session));
    }

    [Fact]
    public async Task Creating_resumable_uploads_is_limited_per_token_with_429_that_creates_nothing_and_recovers()
    {
        var session = RecordingsHttp.NewSessionId();
        var token = Tokens.Session(session, "recordings:upload");
        var (created, refused) = await SendUntilRefusedAsync(() => AuthEndpoint.TusCreate.SendAsync(api.Client, session, "", token), HttpStatusCode.Created);
        var retryAfter = await AuthAssert.TooManyAsync(refused);
        refused.Dispose();
        Assert.Equal(created, SpooledUploads());
        // The service role is not limited.
        using (var admin = await AuthEndpoint.TusCreate.SendAsync(api.Client, session, "", Tokens.ServiceRole()))
        {
            Assert.Equal(HttpStatusCode.Created, admin.StatusCode);
        }

        await Task.Delay(retryAfter);
        Assert.Equal(HttpStatusCode.Created, await StatusSoonAfterAsync(() => AuthEndpoint.TusCreate.SendAsync(api.Client, session, "", token)));
        Assert.Equal(created + 2, SpooledUploads());
    }

    [Fact]
    public async Task Reads_are_not_limited_by_the_upload_limit()
    {
        var session = RecordingsHttp.NewSessionId();
        var token = Tokens.Session(session, "recordings:read");
        for (var i = 0; i < 4 * Limit; i++)
        {
            using var response = await AuthEndpoint.List.SendAsync(api.Client, session, "", token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <summary>Resumable uploads on disk: one spool file each, from creation on.</summary>
    private int SpooledUploads()
    {
        var spool = Path.Combine(api.RecordingsDirectory, "~spool", "resumable");
        return Directory.Exists(spool) ? Directory.EnumerateFiles(spool).Count() : 0;
    }

    private async Task<int> CountAsync(string session)
    {
        using var response = await AuthEndpoint.List.SendAsync(api.Client, session, "", Tokens.ServiceRole());
        return (await RecordingsHttp.ReadJsonAsync(response.EnsureSuccessStatusCode())).GetProperty("total_count").GetInt32();
    }

    /// <summary>
    /// The status once it is no longer 429: the limiter replenishes on a 100 ms timer, so a request sent the instant
    /// Retry-After ends may still just miss it; a short deadline, never a long wait.
    /// </summary>
    private static async Task<HttpStatusCode> StatusSoonAfterAsync(Func<Task<HttpResponseMessage>> send)
    {
        var deadline = DateTime.UtcNow.AddSeconds(1);
        while (true)
        {
            using var response = await send();
            if (response.StatusCode != HttpStatusCode.TooManyRequests || DateTime.UtcNow > deadline)
            {
                return response.StatusCode;
            }

            await Task.Delay(100);
        }
    }

    // The window may roll over meanwhile, so send until the first refusal (at most two windows' worth).
    private static async Task<(int Accepted, HttpResponseMessage Refused)> SendUntilRefusedAsync(
        Func<Task<HttpResponseMessage>> send, HttpStatusCode accepted)
    {
        var count = 0;
        for (var i = 0; i < 2 * Limit + 1; i++)
        {
            var response = await send();
            if (response.StatusCode != accepted)
            {
                return (count, response);
            }

            count++;
            response.Dispose();
        }

        throw new Xunit.Sdk.XunitException($"No request was refused in {2 * Limit + 1} tries");
    }
}
