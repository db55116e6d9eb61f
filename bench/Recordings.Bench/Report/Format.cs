using System.Globalization;
using Recordings.Bench.Measure;

namespace Recordings.Bench.Report;

/// <summary>Numbers as the report and the progress lines print them (invariant culture, "-" for nothing measured).</summary>
public static class Format
{
    public static string Size(long bytes) => bytes switch
    {
        >= BenchPlan.MiB when bytes % BenchPlan.MiB == 0 => $"{bytes / BenchPlan.MiB} MiB",
        >= 1024 when bytes % 1024 == 0 => $"{bytes / 1024} KiB",
        _ => $"{bytes} B",
    };

    public static string Number(double value, int decimals = 1) =>
        double.IsNaN(value) || double.IsInfinity(value) ? "-" : value.ToString("N" + decimals, CultureInfo.InvariantCulture);

    public static string Ms(double value) => value switch
    {
        double.NaN => "-",
        < 10 => Number(value, 2),
        < 100 => Number(value, 1),
        _ => Number(value, 0),
    };

    public static string Mb(long kiloBytes) => Number(kiloBytes / 1024.0, 0);

    public static string Percentiles(LatencyStats latency) => $"{Ms(latency.P50)} / {Ms(latency.P99)}";

    public static string Cpu(CpuUsage cpu, string process) => Number(cpu.Of(process), 0);

    public static string UploadLine(Report.UploadCellResult cell) => string.Create(CultureInfo.InvariantCulture,
        $"upload {cell.Target,-24} {Size(cell.Size),7} x {cell.Clients,2}: {Number(cell.MiBPerSecond),7} MiB/s  p50 {Ms(cell.Latency.P50)} ms  p99 {Ms(cell.Latency.P99)} ms  " +
        $"{cell.Completed}/{cell.Planned} done, {cell.Errors} errors, {cell.Fallbacks} fallbacks  cpu svc {Cpu(cell.Cpu, BenchProcesses.Service)}% " +
        $"storage {Cpu(cell.Cpu, BenchProcesses.Storage)}% client {Cpu(cell.Cpu, BenchProcesses.Client)}% other {Number(cell.Cpu.OtherPercent, 0)}% machine {Number(cell.Cpu.MachineBusyPercent, 0)}%  " +
        $"{cell.Elapsed.TotalSeconds:0.0} s{(cell.FirstError is null ? "" : $"  first error: {cell.FirstError}")}");
}
