using Microsoft.Extensions.FileProviders;

namespace Recordings.Api.Extensions;

/// <summary>
/// /recorder: a static page (camera preview, record, live tus upload, playback) from the wwwroot next to the
/// service's assembly, so it is found whatever folder the host runs in.
/// </summary>
public static class RecorderPage
{
    public static WebApplication UseRecorderPage(this WebApplication app)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (!Directory.Exists(root))
        {
            return app;
        }

        var files = new PhysicalFileProvider(root);
        // "/recorder" -> "/recorder/", so the page's relative links resolve inside its folder. An endpoint, not the URL
        // rewriter: that middleware runs on every request and logs whole URLs (query tokens included) at Debug.
        app.MapGet("/recorder", () => Results.Redirect("/recorder/")).ExcludeFromDescription();
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        return app;
    }
}
