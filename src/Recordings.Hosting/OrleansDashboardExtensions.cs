using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Dashboard;

namespace Recordings.Hosting;

/// <summary>
/// Orleans' own dashboard (grains, activations, silos, method timings) at /dashboard on the HTTP port of a process
/// that runs a silo, when Orleans__Dashboard__Enabled=true. Off by default: it shows grain state and takes no login.
/// </summary>
public static class OrleansDashboardExtensions
{
    public const string EnabledKey = "Orleans:Dashboard:Enabled";
    public const string RoutePrefix = "/dashboard";

    public static bool IsDashboardEnabled(this IConfiguration configuration) => configuration.GetValue<bool>(EnabledKey);

    public static ISiloBuilder AddDashboardWhenEnabled(this ISiloBuilder silo, IConfiguration configuration) =>
        configuration.IsDashboardEnabled() ? silo.AddDashboard() : silo;

    /// <summary>Maps the dashboard where this process runs a silo with it; an API host that is only a client has none.</summary>
    public static WebApplication MapDashboardWhenEnabled(this WebApplication app)
    {
        if (app.Configuration.IsDashboardEnabled() && app.Services.GetService<ILocalSiloDetails>() is not null)
        {
            app.MapOrleansDashboard(RoutePrefix);
        }

        return app;
    }
}
