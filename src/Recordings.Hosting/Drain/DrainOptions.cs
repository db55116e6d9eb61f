using System.ComponentModel.DataAnnotations;

namespace Recordings.Hosting.Drain;

/// <summary>How a host leaves on SIGTERM (section "Drain"); the whole stop is bounded by HostOptions__ShutdownTimeout.</summary>
public sealed class DrainOptions
{
    public const string SectionName = "Drain";

    /// <summary>
    /// How long the host keeps serving with readiness at 503 before it stops accepting connections, so that load
    /// balancers (a Kubernetes Service, a proxy polling /health/ready) send new requests elsewhere first.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ReadinessDelay { get; set; } = TimeSpan.FromSeconds(5);
}
