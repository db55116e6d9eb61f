using System.Net;

namespace Recordings.FunctionalTests.Auth;

/// <summary>
/// With authentication on, on the wire: what must stay open is open (health, docs, the OpenAPI document, the recorder
/// page, tus discovery, CORS preflights), and a /recordings path that no endpoint declares answers 401, not 404.
/// The unit test EndpointAccessTests checks every endpoint's declared rule.
/// </summary>
public sealed class CatchAllTests(AuthApiFixture fixture) : IClassFixture<AuthApiFixture>
{
    [Theory]
    [InlineData("GET", "/health/live")]
    [InlineData("GET", "/health/ready")]
    [InlineData("GET", "/openapi.json")]
    [InlineData("GET", "/docs")]
    [InlineData("GET", "/recorder/")]
    [InlineData("GET", "/recorder/recorder.js")]
    [InlineData("OPTIONS", "/recordings/resumable/some_session")]
    [InlineData("OPTIONS", "/recordings/resumable/some_session/0123456789abcdef")]
    public async Task Stays_open_without_a_token(string method, string path)
    {
        using var response = await fixture.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode}");
    }

    [Theory]
    [InlineData("/recordings/upload/some_session", "POST")]
    [InlineData("/recordings/resumable/some_session", "POST")]
    [InlineData("/recordings/resumable/some_session/0123456789abcdef", "PATCH")]
    public async Task A_cors_preflight_needs_no_token(string path, string method)
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, path);
        preflight.Headers.Add("Origin", AuthApiFixture.AllowedOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", method);
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization, tus-resumable, upload-offset");

        using var response = await fixture.Client.SendAsync(preflight);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(AuthApiFixture.AllowedOrigin, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Theory]
    [InlineData("GET", "/recordings")]
    [InlineData("GET", "/recordings/some_session/list/more")]
    [InlineData("PUT", "/recordings/upload/some_session")]
    public async Task A_path_under_recordings_that_no_endpoint_declares_needs_the_service_role(string method, string path)
    {
        using var anonymous = await fixture.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        await AuthAssert.UnauthorizedAsync(anonymous);

        using var sessionToken = new HttpRequestMessage(new HttpMethod(method), path);
        sessionToken.Headers.Authorization = new("Bearer", fixture.Tokens.Session("some_session", "recordings:upload recordings:read recordings:delete"));
        using var forbidden = await fixture.Client.SendAsync(sessionToken);
        Assert.Contains("service role", await AuthAssert.DetailAsync(forbidden, HttpStatusCode.Forbidden));

        using var admin = new HttpRequestMessage(new HttpMethod(method), path);
        admin.Headers.Authorization = new("Bearer", fixture.Tokens.ServiceRole());
        using var answered = await fixture.Client.SendAsync(admin);
        Assert.True(answered.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"{(int)answered.StatusCode}");
    }
}
