using System.Text.Json;
using System.Text.Json.Serialization;
using Recordings.Api.Apis;
using Recordings.Api.Auth;
using Recordings.Grains;
using Recordings.Hosting;
using Recordings.Hosting.Drain;
using Recordings.ServiceDefaults;
using Recordings.Supabase;

namespace Recordings.Api.Extensions;

public static class Extensions
{
    /// <summary>The seed served on port 8000; ASPNETCORE_URLS or --urls still win.</summary>
    public const string DefaultUrl = "http://localhost:8000";

    /// <summary>Settings, the Supabase client, the way into Orleans, and the HTTP plumbing of the API.</summary>
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.UseDefaultUrl(DefaultUrl);
        builder.AddGracefulDrain();
        var configuration = builder.Configuration;
        builder.Services.AddRecordingsOptions(configuration);
        builder.Services.AddSupabaseStorage(configuration.GetSection("Supabase"));
        builder.Services.AddSingleton<RecordingLinks>();
        // Created at start, so that its gauges read 0 on the dashboard before the first upload.
        builder.Services.AddActivatedSingleton<UploadMemoryBudget>();
        builder.Services.AddSingleton<UploadBufferPool>();
        builder.AddRecordingsAuth();

        // Cluster: an Orleans client. One machine: a silo in this process, so this host is the whole service.
        if (OrleansOptions.From(configuration).IsCluster)
        {
            builder.AddRecordingsClient();
        }
        else
        {
            builder.AddRecordingsSilo(silo => silo.AddRecordingsGrains(configuration));
        }

        // A request head is at most 16 KiB (a bearer token is about 1 KiB), and no more than that is read ahead of the
        // handler: a body the handler has not asked for yet waits in the socket, not here, so uploads waiting for the
        // memory budget (UploadMemoryBudget) cost this process almost nothing. Both Kestrel's buffer and the socket
        // transport's own (1 MiB by default, which held a thousand waiting 64 KiB uploads whole: 55 MB) are capped.
        const int MaxRequestHeadBytes = 16 * 1024;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Uploads are streamed and their size is checked as they arrive (413 with a detail): Kestrel's own cap is off.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MaxRequestHeadersTotalSize = MaxRequestHeadBytes;
            kestrel.Limits.MaxRequestBufferSize = Math.Max(MaxRequestHeadBytes, kestrel.Limits.MaxRequestLineSize);
        });
        builder.WebHost.UseSockets(sockets => sockets.MaxReadBufferSize = MaxRequestHeadBytes);
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
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

    /// <summary>FastAPI-shaped errors for what escapes a handler and for bare status codes (unknown route, wrong method).</summary>
    public static WebApplication UseApiErrorHandling(this WebApplication app)
    {
        app.UseCors();
        app.UseExceptionHandler();
        app.UseStatusCodePages(ApiErrorHandling.WriteStatusDetailAsync);
        return app;
    }
}
