using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Recordings.Api.Auth;

/// <summary>Access control and rate limits for /recordings, on ASP.NET Core's JwtBearer, authorization and rate limiter.</summary>
public static class AuthExtensions
{
    public const string OffWarning = "Authentication is off: anyone who can reach this service can read and delete every recording";

    public static WebApplicationBuilder AddRecordingsAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var authSection = builder.Configuration.GetSection(AuthOptions.Section);
        services.AddOptions<AuthOptions>().Bind(authSection).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddOptions<RateLimitOptions>().Bind(builder.Configuration.GetSection(RateLimitOptions.Section))
            .Validate(limits => limits.FailedAuthentications >= 0 && limits.Uploads >= 0 &&
                                limits.FailedAuthenticationWindow > TimeSpan.Zero && limits.UploadWindow > TimeSpan.Zero,
                "RateLimits__FailedAuthentications and RateLimits__Uploads must be 0 (off) or more; their windows longer than zero.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SessionTokenIssuer>();
        services.AddSingleton<FailedAuthenticationLimiter>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, RecordingsAuthorizationResultHandler>();

        // The mode decides which services exist, so it is read here; the options' validator still judges the whole set.
        var enabled = authSection.Get<AuthOptions>()?.Enabled == true;
        if (enabled)
        {
            services.AddHttpClient(ConfigureJwtBearer.JwksHttpClient);
            services.AddSingleton<RecordingsJwtEvents>();
            services.AddSingleton<IConfigureOptions<JwtBearerOptions>, ConfigureJwtBearer>();
            services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
            services.AddSingleton<IAuthorizationHandler, RecordingsAccessHandler>();
            services.AddSingleton<IAuthorizationHandler, RecordingsFallbackHandler>();
            services.Configure<OpenApiOptions>("v1", openApi => openApi.AddDocumentTransformer(BearerSchemeDocument.DescribeAsync));
            // Its Information lines print the request's query string, which may hold a token.
            builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", level => level >= LogLevel.Warning);
        }
        else
        {
            services.AddAuthentication();
        }

        services.AddAuthorization(authorization =>
        {
            foreach (var scope in RecordingsPolicies.Scopes)
            {
                authorization.AddPolicy(scope, PolicyFor(enabled, scope));
            }

            authorization.AddPolicy(RecordingsPolicies.ServiceRole, PolicyFor(enabled, scope: null));
            // The catch-all: an endpoint under /recordings that names no policy (nor AllowAnonymousBecause) is the
            // service role's only, never open by accident.
            authorization.FallbackPolicy = enabled
                ? new AuthorizationPolicyBuilder().AddRequirements(new RecordingsFallbackRequirement()).Build()
                : null;
        });

        services.AddRateLimiter(limiter => limiter.OnRejected = (context, _) => new ValueTask(
            AuthResponses.WriteTooManyAsync(context.HttpContext.Response,
                context.Lease.TryGetMetadata(System.Threading.RateLimiting.MetadataName.RetryAfter, out var wait) ? wait : null, "uploads")));
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, limits) => limiter.AddUploadPolicy(limits.Value));
        return builder;
    }

    public static WebApplication UseRecordingsAuth(this WebApplication app)
    {
        // Reading the options validates them: a bad combination stops the start here, with the reasons.
        if (!app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.Enabled)
        {
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuthExtensions)).LogWarning(OffWarning);
        }

        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    private static AuthorizationPolicy PolicyFor(bool enabled, string? scope) => enabled
        ? new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new RecordingsAccessRequirement(scope)).Build()
        : new AuthorizationPolicyBuilder().RequireAssertion(_ => true).Build();
}
