using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Recordings.Testing;

namespace Recordings.FunctionalTests.Browser;

/// <summary>
/// A second loopback origin serving one test page and the tus-js-client bundle the API ships: a web app that is not
/// the API, as an interview front end is.
/// </summary>
public sealed class OtherOriginPageServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private OtherOriginPageServer(WebApplication app, int port) => (this.app, Origin) = (app, $"http://127.0.0.1:{port}");

    public string Origin { get; }

    public static async Task<OtherOriginPageServer> StartAsync(string pageHtml)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var bundle = Path.Combine(AppContext.BaseDirectory, "wwwroot", "recorder", "lib", "tus.min.js");
        app.MapGet("/", () => Results.Content(pageHtml, "text/html; charset=utf-8"));
        app.MapGet("/tus.min.js", () => Results.File(bundle, "text/javascript"));
        await app.StartAsync();
        return new OtherOriginPageServer(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
