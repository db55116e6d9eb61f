using System.Text.Json;
using System.Text.Json.Serialization;
using Recordings.Api.Apis;
using Recordings.Api.Apis.Resumable;
using Recordings.Grains;

namespace Recordings.Api.Extensions;

public static class ApiExtensions
{
    public const string DefaultUrl = "http://localhost:8000";

    public static IHostApplicationBuilder AddRecordingsApi(this WebApplicationBuilder builder)
    {
        // The seed served on port 8000; ASPNETCORE_URLS or --urls still win.
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // Uploads are streamed and their size is checked as they arrive (413 with a detail), so Kestrel's own cap is off.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);

        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        builder.Services.AddRecordingsStorage(builder.Configuration);
        builder.AddRecordingsCors();
        builder.Services.AddExceptionHandler<ApiErrorHandling>();
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Recordings Cluster";
            document.Info.Description = "Interview recordings in Supabase Storage with local fallback, on Orleans.";
            return Task.CompletedTask;
        }));
        return builder;
    }

    public static WebApplication UseRecordingsApi(this WebApplication app)
    {
        app.UseCors();
        app.UseExceptionHandler();
        app.UseStatusCodePages(ApiErrorHandling.WriteStatusDetailAsync);
        app.MapOpenApi("/openapi.json");
        app.MapDocsPage();
        app.MapRecordingsApi();
        app.MapResumableUploadsApi();
        app.UseRecorderPage();
        return app;
    }
}
