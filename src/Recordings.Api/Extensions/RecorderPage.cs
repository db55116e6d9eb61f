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
        // "/recorder" -> "/recorder/" (query kept), so the page's relative links resolve inside its folder. Not the URL
        // rewriter: it logs whole URLs, query tokens included, at Debug. Not an endpoint: it would match "/recorder/" too.
        app.Use((context, next) =>
        {
            if (context.Request.Path != "/recorder")
            {
                return next(context);
            }

            context.Response.Redirect($"{context.Request.PathBase}/recorder/{context.Request.QueryString}");
            return Task.CompletedTask;
        });
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        return app;
    }
}
