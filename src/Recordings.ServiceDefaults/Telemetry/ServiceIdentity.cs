using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Recordings.ServiceDefaults.Telemetry;

/// <summary>
/// The defaults for service.name and service.instance.id; OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES still win.
/// Dashboards select hosts by name (job) and tell them apart by instance, so two hosts on one machine must differ.
/// </summary>
public static partial class ServiceIdentity
{
    /// <summary>"Recordings.Api" becomes recordings-api, "Recordings.Silo" recordings-silo.</summary>
    public static string DefaultName(string applicationName) => applicationName.Replace('.', '-').ToLowerInvariant();

    /// <summary>The silo's name where one is set (stable across restarts), otherwise this machine and the HTTP port.</summary>
    public static string InstanceId(IConfiguration configuration)
    {
        if (configuration["Orleans:SiloName"] is { Length: > 0 } siloName)
        {
            return siloName;
        }

        var port = FirstPort(configuration["urls"]) ?? configuration["http_ports"]?.Split(';', ',')[0];
        return string.IsNullOrWhiteSpace(port) ? Environment.MachineName : $"{Environment.MachineName}:{port.Trim()}";
    }

    private static string? FirstPort(string? urls) =>
        urls is null ? null : PortInUrl().Match(urls.Split(';')[0]) is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex(@"://[^/]*:(\d+)")]
    private static partial Regex PortInUrl();
}
