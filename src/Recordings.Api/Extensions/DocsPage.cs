namespace Recordings.Api.Extensions;

/// <summary>/docs as FastAPI users know it: Swagger UI over the OpenAPI document at /openapi.json.</summary>
public static class DocsPage
{
    private const string Html = """
        <!DOCTYPE html>
        <html>
        <head>
          <title>Recordings Cluster - Swagger UI</title>
          <link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css">
        </head>
        <body>
          <div id="swagger-ui"></div>
          <noscript>The API description is at <a href="/openapi.json">/openapi.json</a>.</noscript>
          <script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"></script>
          <script>SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui' });</script>
        </body>
        </html>
        """;

    public static IEndpointRouteBuilder MapDocsPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/docs", () => Results.Content(Html, "text/html; charset=utf-8")).ExcludeFromDescription();
        return app;
    }
}
