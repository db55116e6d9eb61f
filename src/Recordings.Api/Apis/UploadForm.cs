using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Recordings.Api.Apis;

/// <summary>
/// The upload's multipart form in the OpenAPI document. The handler reads the body itself (to stream it), so the
/// form is described here rather than bound; a wrong content type then gets FastAPI's 422, not a 415 from routing.
/// </summary>
public static class UploadForm
{
    public static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "recording" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["recording"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "The recording file" },
                ["recording_type"] = new OpenApiSchema { Type = JsonSchemaType.String, Default = System.Text.Json.Nodes.JsonValue.Create("session"), Description = "Kind of recording; part of the stored name" },
            },
        };
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { ["multipart/form-data"] = new() { Schema = schema } },
        };
        return Task.CompletedTask;
    }
}
