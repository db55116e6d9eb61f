using Scalar.AspNetCore;

namespace Recordings.Api.Apis;

public static class DocsApi
{
    /// <summary>The OpenAPI document at /openapi.json (FastAPI's address) and an API reference at /docs, served locally.</summary>
    public static IEndpointRouteBuilder MapDocs(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi.json");
        app.MapScalarApiReference("/docs", options => options
            .WithTitle("Recordings Cluster")
            .WithOpenApiRoutePattern("/openapi.json"));
        return app;
    }
}
