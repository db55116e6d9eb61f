using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using Recordings.Api.Apis.Resumable;

namespace Recordings.Api.Extensions;

/// <summary>Cors__AllowedOrigins: a comma list of origins allowed to call the API from a browser (empty: no CORS headers).</summary>
public sealed class CorsSettings
{
    public const string SectionName = "Cors";

    public string AllowedOrigins { get; set; } = string.Empty;

    public string[] Origins => AllowedOrigins.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    public static bool IsValid(CorsSettings settings) =>
        settings.Origins.All(origin => origin == "*" ||
            (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/" &&
             !origin.EndsWith('/')));
}

public static class CorsSetup
{
    private static readonly string[] Methods = ["GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS"];

    public static IHostApplicationBuilder AddRecordingsCors(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CorsSettings>()
            .Bind(builder.Configuration.GetSection(CorsSettings.SectionName))
            .Validate(CorsSettings.IsValid, "Cors:AllowedOrigins: a comma list of origins like https://app.example.com (no path, no trailing slash), or *")
            .ValidateOnStart();
        builder.Services.AddCors();
        builder.Services.AddOptions<CorsOptions>().Configure<IOptions<CorsSettings>>((cors, settings) =>
        {
            var origins = settings.Value.Origins;
            if (origins.Length == 0)
            {
                return;
            }

            cors.AddDefaultPolicy(policy =>
            {
                if (origins.Contains("*"))
                {
                    policy.AllowAnyOrigin();
                }
                else
                {
                    policy.WithOrigins(origins);
                }

                // tus-js-client sends its own headers; a browser only sends what a preflight allowed.
                policy.WithMethods(Methods).WithHeaders(TusHeaders.RequestHeaders).WithExposedHeaders(TusHeaders.ExposedHeaders)
                    .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
            });
        });
        return builder;
    }
}
