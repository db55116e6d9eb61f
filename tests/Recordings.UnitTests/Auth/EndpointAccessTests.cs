using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Recordings.Api.Auth;
using Recordings.Api.Extensions;
using Recordings.ServiceDefaults;

namespace Recordings.UnitTests.Auth;

/// <summary>
/// The real app, built (not started) with authentication on: every endpoint under /recordings names its access rule
/// (a policy, or AllowAnonymousBecause with a reason), and what names none falls to the catch-all, the service role.
/// </summary>
public sealed class EndpointAccessTests : IAsyncLifetime
{
    private WebApplication app = null!;

    public Task InitializeAsync()
    {
        app = BuildApp(new Dictionary<string, string?> { ["Auth:JwtSecret"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)) });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public void Every_recordings_endpoint_names_a_known_policy_or_says_why_it_is_open()
    {
        var policies = app.Services.GetRequiredService<IOptions<AuthorizationOptions>>().Value;
        var endpoints = RecordingsEndpoints(app).ToList();
        var problems = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var name = Describe(endpoint);
            var named = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(data => data.Policy).ToList();
            if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                if (string.IsNullOrWhiteSpace(endpoint.Metadata.GetMetadata<OpenAccessReason>()?.Reason))
                {
                    problems.Add($"{name}: open without a reason (use AllowAnonymousBecause)");
                }
            }
            else if (named.Count == 0)
            {
                problems.Add($"{name}: no access rule (RequireAuthorization(RecordingsPolicies.X) or AllowAnonymousBecause)");
            }
            else if (named.Any(policy => policy is null || policies.GetPolicy(policy) is null))
            {
                // A bare RequireAuthorization() would let any valid token of any session through.
                problems.Add($"{name}: a policy that is not one of RecordingsPolicies: {string.Join(", ", named)}");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
        // The seed's six, the token endpoint, and tus: create, HEAD, PATCH, DELETE, GET and the two OPTIONS.
        Assert.True(endpoints.Count >= 14, $"only {endpoints.Count} endpoints found: {string.Join(", ", endpoints.Select(Describe))}");
        Assert.All(endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null),
            open => Assert.Equal([HttpMethods.Options], open.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods));
    }

    [Theory]
    // path, method, caller, allowed
    [InlineData("/recordings/s1/something-new", "GET", "nobody", false)]
    [InlineData("/recordings/s1/something-new", "POST", "session_token", false)]
    [InlineData("/recordings/s1/something-new", "POST", "service_role", true)]
    [InlineData("/recordings/s1/something-new", "POST", "service_role_in_query", false)]
    [InlineData("/recordings/s1/something-new", "GET", "service_role_in_query", true)]
    [InlineData("/recordings", "GET", "nobody", false)]
    [InlineData("/health/live", "GET", "nobody", true)]
    [InlineData("/health/ready", "GET", "nobody", true)]
    [InlineData("/docs", "GET", "nobody", true)]
    [InlineData("/openapi.json", "GET", "nobody", true)]
    [InlineData("/recorder/", "GET", "nobody", true)]
    [InlineData("/recorder/recorder.js", "GET", "nobody", true)]
    [InlineData("/recordingsx", "GET", "nobody", true)]
    public async Task The_catch_all_keeps_what_names_no_policy_under_recordings_for_the_service_role(string path, string method, string caller, bool allowed)
    {
        var fallback = app.Services.GetRequiredService<IOptions<AuthorizationOptions>>().Value.FallbackPolicy;
        Assert.NotNull(fallback);
        var http = new DefaultHttpContext();
        http.Request.Method = method;
        http.Request.Path = path;
        var user = caller switch
        {
            "nobody" => new ClaimsPrincipal(new ClaimsIdentity()),
            "session_token" => Authenticated(new(RecordingsClaims.SessionId, "s1"), new(RecordingsClaims.Scope, string.Join(' ', RecordingsPolicies.Scopes))),
            _ => Authenticated(new Claim(RecordingsClaims.Role, RecordingsClaims.ServiceRole)),
        };
        if (caller == "service_role_in_query")
        {
            QueryToken.MarkUsed(http);
        }

        var result = await app.Services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(user, http, fallback);

        Assert.Equal(allowed, result.Succeeded);
    }

    [Fact]
    public async Task With_authentication_off_there_is_no_catch_all()
    {
        await using var off = BuildApp(new Dictionary<string, string?> { ["Auth:JwtSecret"] = "", ["Auth:JwksUrl"] = "" });

        Assert.Null(off.Services.GetRequiredService<IOptions<AuthorizationOptions>>().Value.FallbackPolicy);
    }

    private static WebApplication BuildApp(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        builder.AddApplicationServices();
        var built = builder.Build();
        built.UseRecordingsPipeline();
        return built;
    }

    private static IEnumerable<RouteEndpoint> RecordingsEndpoints(WebApplication app) =>
        ((IEndpointRouteBuilder)app).DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Where(endpoint => new PathString("/" + endpoint.RoutePattern.RawText!.TrimStart('/')).StartsWithSegments(RecordingsFallbackRequirement.ProtectedPath));

    private static string Describe(RouteEndpoint endpoint) =>
        $"{string.Join(',', endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])} {endpoint.RoutePattern.RawText}";

    private static ClaimsPrincipal Authenticated(params Claim[] claims) => new(new ClaimsIdentity(claims, "Bearer"));
}
