using Recordings.ServiceDefaults;
using Recordings.ServiceDefaults.Hosting;
using Recordings.ServiceDefaults.Orleans;

namespace Recordings.Api.Extensions;

/// <summary>The API host, built in two steps so that tests can run it in their own process and add exporters.</summary>
public static class RecordingsApiApp
{
    /// <summary>Everything registered; settings passed as <paramref name="args"/> (--Key=value) win over the environment.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. args, ServiceDefaultsExtensions.NoConfigReloadArgument],
            // The default is the entry assembly, which in a test run is the test host; the name is the service's name.
            ApplicationName = typeof(RecordingsApiApp).Assembly.GetName().Name,
        });
        builder.AddServiceDefaults();
        builder.AddGracefulDrain();
        builder.AddRecordingsOrleans();
        builder.AddRecordingsApi();
        return builder;
    }

    public static WebApplication BuildRecordingsApi(this WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.UseRecordingsApi();
        return app;
    }
}
