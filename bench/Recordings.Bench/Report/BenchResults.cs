using Recordings.Bench.Load;
using Recordings.Bench.Measure;

namespace Recordings.Bench.Report;

/// <summary>One cell of the upload matrix: a target, a file size and a number of concurrent clients.</summary>
public sealed record UploadCellResult(
    string Target, long Size, int Clients, int Planned, int Completed, int Errors, int Fallbacks,
    double MiBPerSecond, LatencyStats Latency, CpuUsage Cpu, TimeSpan Elapsed, string? FirstError)
{
    /// <summary>The cell's figures from its uploads: throughput of the successful ones, fallbacks against what the target expects.</summary>
    public static UploadCellResult From(
        IUploadTarget target, long size, int clients, int planned, IReadOnlyList<UploadResult> uploads, CpuUsage cpu, TimeSpan elapsed)
    {
        var ok = uploads.Where(u => u.Ok).ToList();
        return new UploadCellResult(
            target.Name, size, clients, planned, uploads.Count, uploads.Count - ok.Count,
            ok.Count(u => target.ExpectedStorage is { } expected && u.StorageType != expected),
            ok.Sum(u => u.Bytes) / (double)BenchPlan.MiB / elapsed.TotalSeconds,
            LatencyStats.From([.. ok.Select(u => u.Milliseconds)]),
            cpu, elapsed, uploads.FirstOrDefault(u => !u.Ok)?.Error);
    }
}

/// <summary>Reads of one endpoint from a number of concurrent clients for a fixed time.</summary>
public sealed record ReadCellResult(string Endpoint, int Clients, int Requests, int Errors, double RequestsPerSecond, LatencyStats Latency, CpuUsage Cpu);

/// <summary>Connections uploading small files back to back, each file to a new session, for a fixed time.</summary>
/// <param name="Connections">Uploads in flight at once, each on its own connection.</param>
/// <param name="Uploads">Uploads sent in the cell (each one a new session).</param>
/// <param name="PeakRssKb">The service process's whole resident memory at its highest during the cell; null for direct uploads.</param>
public sealed record ScaleCellResult(
    string Target, int Connections, int Uploads, int Errors, int Fallbacks, LatencyStats Latency, TimeSpan Wall, CpuUsage Cpu, string? FirstError,
    long? PeakRssKb)
{
    public double UploadsPerSecond => (Uploads - Errors) / Wall.TotalSeconds;
}

/// <summary>One cell of the resumable section (tus, multipart or direct), with the service process's whole peak RSS (null for direct).</summary>
public sealed record ResumableCellResult(UploadCellResult Upload, int PatchBytes, long? PeakRssKb);

/// <summary>Progressive recorders at once, each appending small slices (tus PATCHes) to a deferred-length upload back to back.</summary>
/// <param name="Latency">Per PATCH, the last one (which stores the recording) included.</param>
public sealed record ProgressiveCellResult(
    string Target, int Recorders, int SliceBytes, int Patches, int Errors, int Fallbacks, double PatchesPerSecond, LatencyStats Latency,
    CpuUsage Cpu, long? PeakRssKb, string? FirstError);

/// <summary>The service's resident memory around one measurement.</summary>
public sealed record MemoryResult(string What, MemoryReading Reading, long? GoalIncreaseKb);

/// <summary>Where and how the run happened, for the report's header.</summary>
public sealed record RunInfo(
    string Plan, string ServiceDescription, string ServiceBuild, string StorageDescription, string Machine, DateTimeOffset StartedAt);

/// <summary>Everything one run measured.</summary>
public sealed class BenchResults(RunInfo info)
{
    public RunInfo Info { get; } = info;

    public List<UploadCellResult> Uploads { get; } = [];

    public List<ReadCellResult> Reads { get; } = [];

    public List<ScaleCellResult> Scale { get; } = [];

    public List<ResumableCellResult> Resumable { get; } = [];

    public List<ProgressiveCellResult> Progressive { get; } = [];

    public List<MemoryResult> Memory { get; } = [];

    public List<string> Notes { get; } = [];

    public TimeSpan Duration { get; set; }
}
