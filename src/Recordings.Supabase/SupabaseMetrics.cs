using System.Diagnostics.Metrics;

namespace Recordings.Supabase;

/// <summary>The client's traffic to Supabase Storage, on the service's meter (Prometheus: recordings_supabase_requests_total).</summary>
public sealed class SupabaseMetrics
{
    /// <summary>The service's meter; the grains' instruments live on it too.</summary>
    public const string MeterName = "Recordings";

    private readonly Counter<long> requests;

    public SupabaseMetrics(IMeterFactory meterFactory) =>
        requests = meterFactory.Create(MeterName).CreateCounter<long>("recordings.supabase.requests", "{request}",
            "Calls to Supabase Storage, by operation and HTTP status (or why no answer came)");

    /// <param name="status">The HTTP status, or why no answer came (connection_failed, timeout, circuit_open, ...).</param>
    public void RequestCompleted(string operation, string status) =>
        requests.Add(1,
            new KeyValuePair<string, object?>("operation", operation.Replace(' ', '_')),
            new KeyValuePair<string, object?>("status", status));
}
