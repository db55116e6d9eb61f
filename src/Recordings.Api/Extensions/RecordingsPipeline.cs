using Recordings.Api.Apis;
using Recordings.Api.Apis.Resumable;
using Recordings.Api.Auth;
using Recordings.Hosting;
using Recordings.ServiceDefaults;

namespace Recordings.Api.Extensions;

/// <summary>The service's middleware and endpoints, in order: one place, so that a test can build the real app and read them.</summary>
public static class RecordingsPipeline
{
    public static WebApplication UseRecordingsPipeline(this WebApplication app)
    {
        app.MapDefaultEndpoints();
        app.MapDashboardWhenEnabled();
        app.UseApiErrorHandling();
        app.UseRecordingsAuth();
        app.MapDocs();
        app.MapRecordingsApi();
        app.MapResumableUploadsApi();
        app.UseRecorderPage();
        return app;
    }
}
