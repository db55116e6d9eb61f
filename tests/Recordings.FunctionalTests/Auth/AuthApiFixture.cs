
namespace Recordings.FunctionalTests.Auth;

/// <summary>
/// The real API host with authentication on (HS256 secret generated for this run, an issuer and an audience), logging
/// at Debug so that a leak would show. Failed authentications are not rate limited here: the refusal tables make many.
/// </summary>
public sealed class AuthApiFixture : IAsyncLifetime
{
    public const string Issuer = "https://auth.recordings.test/auth/v1";
    public const string Audience = "recordings";
    public const string MaxTokenLifetime = "02:00:00";
    public const string AllowedOrigin = "http://interview.example";

    public string Secret { get; } = TestTokens.NewSecret();

    public TestTokens Tokens => new(Secret, Issuer, Audience);

    public HostProcess Api { get; private set; } = null!;

    public HttpClient Client => Api.Client;

    public async Task InitializeAsync() => Api = await HostProcess.StartApiAsync(new Dictionary<string, string?>
    {
        ["Auth__JwtSecret"] = Secret,
        ["Auth__Issuer"] = Issuer,
        ["Auth__Audience"] = Audience,
        ["Auth__MaxTokenLifetime"] = MaxTokenLifetime,
        ["Cors__AllowedOrigins"] = AllowedOrigin,
        ["RateLimits__FailedAuthentications"] = "0",
        ["Recordings__MaxUploadBytes"] = "1048576",
        // The tables compare the whole disk before and after each refusal: no open upload may be swept meanwhile.
        ["Recordings__AbandonAfter"] = "01:00:00",
        ["LOG_LEVEL"] = "DEBUG",
        ["Logging__LogLevel__Microsoft.AspNetCore"] = "Debug",
    });

    public Task DisposeAsync() => Api.DisposeAsync().AsTask();
}
