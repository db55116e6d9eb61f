using Microsoft.Extensions.Configuration;

namespace Recordings.ServiceDefaults.Orleans;

/// <summary>
/// How this process joins Orleans, read once from configuration. A PostgreSQL connection string
/// (ConnectionStrings__Postgres) switches to cluster mode; without one everything runs on this machine.
/// </summary>
public sealed record OrleansSettings(
    string? PostgresConnectionString,
    string ClusterId,
    string ServiceId,
    string SiloName,
    int SiloPort,
    int GatewayPort,
    string? AdvertisedAddress,
    string DataDirectory)
{
    public bool IsCluster => !string.IsNullOrWhiteSpace(PostgresConnectionString);

    public static OrleansSettings From(IConfiguration configuration)
    {
        // An empty line in .env means "not set", never an empty value.
        string? Read(string key) => string.IsNullOrWhiteSpace(configuration[key]) ? null : configuration[key];
        int ReadPort(string key, int fallback) => Read(key) is { } port ? int.Parse(port, System.Globalization.CultureInfo.InvariantCulture) : fallback;

        return new(
            Read("ConnectionStrings:Postgres"),
            Read("Orleans:ClusterId") ?? "recordings-cluster",
            Read("Orleans:ServiceId") ?? "recordings",
            Read("Orleans:SiloName") ?? Environment.MachineName,
            ReadPort("Orleans:SiloPort", 11111),
            ReadPort("Orleans:GatewayPort", 30000),
            Read("Orleans:AdvertisedAddress"),
            Read("Storage:DataDirectory") ?? "data");
    }
}
