using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Recordings.Hosting;

/// <summary>
/// How this process joins Orleans (section "Orleans"). A PostgreSQL connection string (ConnectionStrings__Postgres)
/// switches to cluster mode; without one everything runs on this machine. A class, not a record: a generated
/// ToString would print the connection string and its password.
/// </summary>
public sealed class OrleansOptions
{
    public const string SectionName = "Orleans";

    [Required]
    public string ClusterId { get; set; } = "recordings-cluster";

    [Required]
    public string ServiceId { get; set; } = "recordings";

    /// <summary>Stable across restarts: local recordings are recorded as held by this name (SILO_NAME).</summary>
    [Required]
    public string SiloName { get; set; } = Environment.MachineName;

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>An address or host name other machines reach this silo at; unset: every address of this host.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Grain state in one-machine mode (DATA_DIR).</summary>
    public string DataDirectory { get; set; } = "data";

    public string? PostgresConnectionString { get; set; }

    public bool IsCluster => !string.IsNullOrWhiteSpace(PostgresConnectionString);

    /// <summary>Read once while the host is built (Orleans is configured before the container exists).</summary>
    public static OrleansOptions From(IConfiguration configuration)
    {
        var options = new OrleansOptions();
        configuration.GetSection(SectionName).Bind(options);
        options.PostgresConnectionString = configuration.GetConnectionString("Postgres") is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value : null;
        if (configuration["Storage:DataDirectory"] is { Length: > 0 } data)
        {
            options.DataDirectory = data;
        }

        // An empty line in .env means "not set", never an empty value.
        if (string.IsNullOrWhiteSpace(options.AdvertisedAddress))
        {
            options.AdvertisedAddress = null;
        }

        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        return options;
    }
}
