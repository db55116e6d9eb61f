using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Recordings.Hosting.Drain;

public static class GracefulDrainExtensions
{
    /// <summary>A SIGTERM gives running work this long to finish (HostOptions__ShutdownTimeout, 60 s by default).</summary>
    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(60);

    public static IHostApplicationBuilder AddGracefulDrain(this IHostApplicationBuilder builder)
    {
        var shutdownTimeout = builder.Configuration.GetValue("HostOptions:ShutdownTimeout", DefaultShutdownTimeout);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = shutdownTimeout);
        builder.Services.AddOptions<DrainOptions>()
            .Bind(builder.Configuration.GetSection(DrainOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHostedService<GracefulDrainService>();
        return builder;
    }
}
