using System.Net;

namespace Recordings.FunctionalTests.Auth;

/// <summary>
/// Who may do what once authenticated: the service role everything; a session token its own session and its scopes
/// only; a query-string token reads and nothing else. Every 403 has a detail and changes nothing.
/// </summary>
public sealed class SessionAccessTests(AuthApiFixture fixture) : IClassFixture<AuthApiFixture>
{
    private const string AllScopes = "recordings:upload recordings:read recordings:delete";

    public static TheoryData<string, string, string> Forbidden() => new()
    {
        // endpoint, what is wrong with the token, words the detail must hold
        { "upload", "another_session", "does not cover this session" },
        { "info", "another_session", "does not cover this session" },
        { "download", "another_session", "does not cover this session" },
        { "list", "another_session", "does not cover this session" },
        { "delete", "another_session", "does not cover this session" },
        { "upload", "missing_scope", "recordings:upload" },
        { "info", "missing_scope", "recordings:read" },
        { "download", "missing_scope", "recordings:read" },
        { "list", "missing_scope", "recordings:read" },
        { "delete", "missing_scope", "recordings:delete" },
        { "upload", "query_token_on_change", "only on GET and HEAD" },
        { "delete", "query_token_on_change", "only on GET and HEAD" },
        { "tokens", "query_token_on_change", "only on GET and HEAD" },
        { "tokens", "session_token", "Only the service role" },
        { "upload", "no_scope_claim", "recordings:upload" },
        { "list", "no_session_claim", "does not cover this session" },
        { "tus_create", "another_session", "does not cover this session" },
        { "tus_head", "another_session", "does not cover this session" },
        { "tus_patch", "another_session", "does not cover this session" },
        { "tus_delete", "another_session", "does not cover this session" },
        { "tus_result", "another_session", "does not cover this session" },
        { "tus_create", "missing_scope", "recordings:upload" },
        { "tus_head", "missing_scope", "recordings:upload" },
        { "tus_patch", "missing_scope", "recordings:upload" },
        { "tus_delete", "missing_scope", "recordings:upload" },
        { "tus_result", "missing_scope", "recordings:upload" },
        { "tus_create", "query_token_on_change", "only on GET and HEAD" },
        { "tus_patch", "query_token_on_change", "only on GET and HEAD" },
        { "tus_delete", "query_token_on_change", "only on GET and HEAD" },
        { "tus_patch", "no_scope_claim", "recordings:upload" },
    };

    [Theory]
    [MemberData(nameof(Forbidden))]
    public async Task A_token_that_does_not_cover_the_request_is_refused_with_403_and_changes_nothing(string endpointName, string problem, string expected)
    {
        var endpoint = AuthEndpoint.Named(endpointName);
        var target = await AuthSeed.CreateAsync(fixture.Api, fixture.Tokens);
        var session = target.Session;
        var tokens = fixture.Tokens;
        var (token, inQuery) = problem switch
        {
            "another_session" => (tokens.Session(RecordingsHttp.NewSessionId(), AllScopes), false),
            "missing_scope" => (tokens.Session(session, string.Join(' ', AllScopes.Split(' ').Where(scope => scope != endpoint.Scope))), false),
            "query_token_on_change" => (tokens.ServiceRole(), true),
            "session_token" => (tokens.Session(session, AllScopes), false),
            "no_scope_claim" => (tokens.Create(new() { ["session_id"] = session }), false),
            "no_session_claim" => (tokens.Create(new() { ["scope"] = AllScopes }), false),
            _ => throw new ArgumentOutOfRangeException(nameof(problem)),
        };
        var before = await RecordingsState.ReadAsync(fixture.Api, tokens, target);

        using var response = await endpoint.SendAsync(fixture.Client, target, token, inQuery);

        AuthAssert.DetailHolds(expected, await AuthAssert.DetailAsync(response, HttpStatusCode.Forbidden));
        before.AssertSame(await RecordingsState.ReadAsync(fixture.Api, tokens, target));
    }

    [Theory]
    [InlineData("upload")]
    [InlineData("info")]
    [InlineData("download")]
    [InlineData("list")]
    [InlineData("delete")]
    [InlineData("tokens")]
    [InlineData("tus_create")]
    [InlineData("tus_head")]
    [InlineData("tus_patch")]
    [InlineData("tus_delete")]
    [InlineData("tus_result")]
    public async Task The_service_role_may_do_everything_on_every_session(string endpointName)
    {
        var endpoint = AuthEndpoint.Named(endpointName);
        var target = await AuthSeed.CreateAsync(fixture.Api, fixture.Tokens);

        using var response = await endpoint.SendAsync(fixture.Client, target, fixture.Tokens.ServiceRole());

        Assert.Equal(endpoint.Success, response.StatusCode);
    }

    [Theory]
    [InlineData("upload", false)]
    [InlineData("info", false)]
    [InlineData("download", false)]
    [InlineData("list", false)]
    [InlineData("delete", false)]
    [InlineData("info", true)]
    [InlineData("download", true)]
    [InlineData("list", true)]
    [InlineData("tus_create", false)]
    [InlineData("tus_head", false)]
    [InlineData("tus_patch", false)]
    [InlineData("tus_delete", false)]
    [InlineData("tus_result", false)]
    [InlineData("tus_head", true)]
    [InlineData("tus_result", true)]
    public async Task A_session_token_may_do_what_its_scope_says_on_its_session(string endpointName, bool inQuery)
    {
        var endpoint = AuthEndpoint.Named(endpointName);
        var target = await AuthSeed.CreateAsync(fixture.Api, fixture.Tokens);
        var token = fixture.Tokens.Session(target.Session, endpoint.Scope);

        using var response = await endpoint.SendAsync(fixture.Client, target, token, inQuery);

        Assert.Equal(endpoint.Success, response.StatusCode);
        var after = await RecordingsState.ReadAsync(fixture.Api, fixture.Tokens, target);
        var expectedCount = endpointName switch { "upload" => 2, "delete" => 0, _ => 1 };
        Assert.Contains($"\"total_count\":{expectedCount}", after.List);
        // What the resumable calls did to the upload in flight.
        var expectedOpen = endpointName switch
        {
            "tus_patch" => $"offset {AuthSeed.OpenOffset + 1024} of {AuthSeed.OpenLength}",
            "tus_delete" => "404",
            _ => $"offset {AuthSeed.OpenOffset} of {AuthSeed.OpenLength}",
        };
        Assert.Equal(expectedOpen, after.OpenUpload);
    }

    [Fact]
    public async Task A_download_with_a_query_token_streams_the_bytes()
    {
        var session = RecordingsHttp.NewSessionId();
        var data = RecordingsHttp.RandomBytes(10_000);
        using (var upload = new HttpRequestMessage(HttpMethod.Post, $"/recordings/upload/{session}") { Content = RecordingsHttp.UploadForm(data) })
        {
            upload.Headers.Authorization = new("Bearer", fixture.Tokens.Session(session, "recordings:upload"));
            (await fixture.Client.SendAsync(upload)).EnsureSuccessStatusCode();
        }

        var token = fixture.Tokens.Session(session, "recordings:read");
        var bytes = await fixture.Client.GetByteArrayAsync($"/recordings/{session}/download?token={Uri.EscapeDataString(token)}");

        Assert.Equal(data, bytes);
    }

    [Fact]
    public async Task A_token_expired_within_the_clock_skew_is_still_accepted()
    {
        var token = fixture.Tokens.ServiceRole(d => { d.IssuedAt = d.NotBefore = DateTime.UtcNow.AddMinutes(-10); d.Expires = DateTime.UtcNow.AddSeconds(-10); });

        using var response = await AuthEndpoint.List.SendAsync(fixture.Client, RecordingsHttp.NewSessionId(), "", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Scopes_may_also_come_as_a_json_array()
    {
        var session = RecordingsHttp.NewSessionId();
        var token = fixture.Tokens.Create(new() { ["session_id"] = session, ["scope"] = new[] { "recordings:upload", "recordings:read" } });

        using var response = await AuthEndpoint.List.SendAsync(fixture.Client, session, "", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
