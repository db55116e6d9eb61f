using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Recordings.Api.Auth;

/// <summary>Declares the bearer scheme in the OpenAPI document, so that /docs can send a token.</summary>
public static class BearerSchemeDocument
{
    public const string SchemeName = "Bearer";

    public static Task DescribeAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A service-role token, or a session token from POST /recordings/{session_id}/tokens",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] });
        return Task.CompletedTask;
    }
}
