using System.Globalization;
using System.Text;
using Recordings.Bench.Measure;

namespace Recordings.Bench.Report;

/// <summary>The results as Markdown tables: what the console prints at the end and what --out receives.</summary>
public static class MarkdownReport
{
    private const string Direct = "direct";

    public static string Render(BenchResults results, IReadOnlyCollection<string> matrixTargets)
    {
        var text = new StringBuilder();
        var info = results.Info;
        text.AppendLine("# Recordings service benchmark").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- Run: {info.StartedAt:yyyy-MM-dd HH:mm} UTC, plan `{info.Plan}`, {results.Duration.TotalMinutes:0.0} min");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Service: {info.ServiceDescription} ({info.ServiceBuild} build)");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Storage server: {info.StorageDescription}");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {info.Machine}; client, service and storage server all share it");
        text.AppendLine("- MiB = 2^20 bytes. Latency: request sent to whole answer read, in ms, p50 / p99 (nearest rank: below 100 samples p99 is the slowest).");
        text.AppendLine("- CPU: percent of one core over the measurement (200 = both cores of a 2-core machine); other = everything outside the bench's");
        text.AppendLine("  processes (other people's work on the machine, kernel time charged to no process); machine busy = share of all cores.").AppendLine();

        var notes = new List<string>(results.Notes);
        UploadSummary(text, results, matrixTargets);
        UploadDetail(text, results, notes);
        Memory(text, results);
        Resumable(text, results, notes);
        Progressive(text, results, notes);
        Reads(text, results);
        Scale(text, results, notes);

        if (notes.Count > 0)
        {
            text.AppendLine("## Notes").AppendLine();
            foreach (var note in notes)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    private static void UploadSummary(StringBuilder text, BenchResults results, IReadOnlyCollection<string> targets)
    {
        var cells = results.Uploads.Where(c => targets.Contains(c.Target)).ToList();
        if (cells.Count == 0)
        {
            return;
        }

        text.AppendLine("## Uploads: throughput and latency").AppendLine();
        text.AppendLine("`x / direct` is the target's throughput over the direct upload's in the same row: below 1.0 is the service's overhead.").AppendLine();
        var header = new List<string> { "file", "clients" };
        foreach (var target in targets)
        {
            header.Add($"{target} MiB/s");
            header.Add($"{target} p50 / p99 ms");
            if (target != Direct && targets.Contains(Direct))
            {
                header.Add($"{target} / direct");
            }
        }

        var rows = new List<IReadOnlyList<string>>();
        foreach (var group in cells.GroupBy(c => (c.Size, c.Clients)))
        {
            var row = new List<string> { Format.Size(group.Key.Size), group.Key.Clients.ToString(CultureInfo.InvariantCulture) };
            var direct = group.FirstOrDefault(c => c.Target == Direct);
            foreach (var target in targets)
            {
                var cell = group.FirstOrDefault(c => c.Target == target);
                row.Add(cell is null ? "-" : Format.Number(cell.MiBPerSecond) + (cell.Errors > 0 ? $" ({cell.Errors} err)" : ""));
                row.Add(cell is null ? "-" : Format.Percentiles(cell.Latency));
                if (target != Direct && targets.Contains(Direct))
                {
                    row.Add(cell is null || direct is null ? "-" : Format.Number(cell.MiBPerSecond / direct.MiBPerSecond, 2));
                }
            }

            rows.Add(row);
        }

        Table(text, header, rows);
    }

    private static void UploadDetail(StringBuilder text, BenchResults results, List<string> notes)
    {
        if (results.Uploads.Count == 0)
        {
            return;
        }

        text.AppendLine("## Uploads: every cell, with where the CPU went").AppendLine();
        text.AppendLine("CPU % is service / storage server / client / other. CPU ms per MiB is what each process spent per MiB moved: unlike");
        text.AppendLine("throughput it hardly changes when other work shares the machine, so it is the figure to compare between runs.").AppendLine();
        string[] header = ["target", "file", "clients", "uploads", "errors", "fallbacks", "MiB/s", "p50 ms", "p99 ms", "max ms",
            "CPU % svc / stor / client / other", "CPU ms per MiB svc / stor / client", "machine busy %", "iowait %"];
        var rows = results.Uploads.Select(c => (IReadOnlyList<string>)
        [
            c.Target, Format.Size(c.Size), Int(c.Clients), $"{c.Completed}/{c.Planned}", Int(c.Errors), Int(c.Fallbacks),
            Format.Number(c.MiBPerSecond), Format.Ms(c.Latency.P50), Format.Ms(c.Latency.P99), Format.Ms(c.Latency.Max),
            $"{Format.Cpu(c.Cpu, BenchProcesses.Service)} / {Format.Cpu(c.Cpu, BenchProcesses.Storage)} / {Format.Cpu(c.Cpu, BenchProcesses.Client)} / {Format.Number(c.Cpu.OtherPercent, 0)}",
            $"{PerMiB(c, BenchProcesses.Service)} / {PerMiB(c, BenchProcesses.Storage)} / {PerMiB(c, BenchProcesses.Client)}",
            Format.Number(c.Cpu.MachineBusyPercent, 0), Format.Number(c.Cpu.MachineIoWaitPercent, 0),
        ]).ToList();
        Table(text, header, rows);

        foreach (var failed in results.Uploads.Where(c => c.FirstError is not null))
        {
            notes.Add($"{failed.Target} {Format.Size(failed.Size)} x {failed.Clients}: first error: {failed.FirstError}");
        }
    }

    private static void Memory(StringBuilder text, BenchResults results)
    {
        if (results.Memory.Count == 0)
        {
            return;
        }

        text.AppendLine("## Memory: resident set of the service process").AppendLine();
        text.AppendLine("Before: VmRSS just before the measurement. Peak: the kernel's VmHWM, reset at its start, or the largest VmRSS sampled every 50 ms.").AppendLine();
        string[] header = ["measurement", "RSS before MB", "peak RSS MB", "increase MB", "RSS after MB", "goal"];
        var rows = results.Memory.Select(m => (IReadOnlyList<string>)
        [
            m.What, Format.Mb(m.Reading.BeforeKb), Format.Mb(m.Reading.PeakKb), Format.Mb(m.Reading.IncreaseKb), Format.Mb(m.Reading.AfterKb),
            m.GoalIncreaseKb is { } goal ? $"< {Format.Mb(goal)} MB: {(m.Reading.IncreaseKb < goal ? "met" : "MISSED")}" : "-",
        ]).ToList();
        Table(text, header, rows);
    }

    private static void Resumable(StringBuilder text, BenchResults results, List<string> notes)
    {
        if (results.Resumable.Count == 0)
        {
            return;
        }

        var first = results.Resumable[0];
        text.AppendLine(CultureInfo.InvariantCulture, $"## Resumable uploads (tus) beside multipart: {Format.Size(first.Upload.Size)} files, {Format.Size(first.PatchBytes)} PATCHes");
        text.AppendLine();
        text.AppendLine("`tus` rows: POST (Upload-Length, Upload-Metadata), then one PATCH per chunk until the last completes the recording; " +
                        "the time runs from the POST to the last PATCH's answer. The other rows send the same files as one multipart POST through the service, " +
                        "and straight to the storage server (`direct`). `x / multipart` is a tus row over the multipart row of the same host and client count. " +
                        "Peak RSS is the service process's whole resident set at its highest during the cell (kernel VmHWM, reset at its start).").AppendLine();
        string[] header = ["target", "clients", "uploads", "errors", "fallbacks", "MiB/s", "x / direct", "x / multipart", "p50 / p99 ms", "peak RSS MB",
            "CPU % svc / stor / client / other", "CPU ms per MiB svc / stor / client"];
        var rows = new List<IReadOnlyList<string>>();
        foreach (var row in results.Resumable)
        {
            var c = row.Upload;
            var sameRow = results.Resumable.Select(r => r.Upload).Where(o => o.Clients == c.Clients).ToList();
            var direct = sameRow.FirstOrDefault(o => o.Target == Direct);
            var multipart = c.Target.EndsWith(", tus", StringComparison.Ordinal)
                ? sameRow.FirstOrDefault(o => o.Target == c.Target[..^", tus".Length])
                : null;
            rows.Add(
            [
                c.Target, Int(c.Clients), $"{c.Completed}/{c.Planned}", Int(c.Errors), Int(c.Fallbacks), Format.Number(c.MiBPerSecond),
                c.Target == Direct || direct is null ? "" : Format.Number(c.MiBPerSecond / direct.MiBPerSecond, 2),
                multipart is null ? "" : Format.Number(c.MiBPerSecond / multipart.MiBPerSecond, 2),
                Format.Percentiles(c.Latency), row.PeakRssKb is { } kb ? Format.Mb(kb) : "",
                $"{Format.Cpu(c.Cpu, BenchProcesses.Service)} / {Format.Cpu(c.Cpu, BenchProcesses.Storage)} / {Format.Cpu(c.Cpu, BenchProcesses.Client)} / {Format.Number(c.Cpu.OtherPercent, 0)}",
                $"{PerMiB(c, BenchProcesses.Service)} / {PerMiB(c, BenchProcesses.Storage)} / {PerMiB(c, BenchProcesses.Client)}",
            ]);
        }

        Table(text, header, rows);
        foreach (var failed in results.Resumable.Select(r => r.Upload).Where(c => c.FirstError is not null))
        {
            notes.Add($"resumable {failed.Target} x {failed.Clients}: first error: {failed.FirstError}");
        }
    }

    private static void Progressive(StringBuilder text, BenchResults results, List<string> notes)
    {
        if (results.Progressive.Count == 0)
        {
            return;
        }

        text.AppendLine("## Progressive recorders: small tus PATCHes").AppendLine();
        text.AppendLine("Each recorder creates a deferred-length upload and sends its slices back to back (a real recorder sends one a second), " +
                        "the last with Upload-Length, which stores the recording. Latency is per PATCH. " +
                        "CPU ms per PATCH is the service's CPU over the PATCHes it answered: with the rate, the input of the capacity model in bench/README.md.").AppendLine();
        string[] header = ["target", "recorders", "slice", "PATCHes", "errors", "fallbacks", "PATCH/s", "p50 / p99 ms", "peak RSS MB",
            "CPU % svc / stor / client / other", "service CPU ms per PATCH"];
        var rows = results.Progressive.Select(p => (IReadOnlyList<string>)
        [
            p.Target, Int(p.Recorders), Format.Size(p.SliceBytes), Int(p.Patches), Int(p.Errors), Int(p.Fallbacks), Format.Number(p.PatchesPerSecond, 0),
            Format.Percentiles(p.Latency), p.PeakRssKb is { } kb ? Format.Mb(kb) : "",
            $"{Format.Cpu(p.Cpu, BenchProcesses.Service)} / {Format.Cpu(p.Cpu, BenchProcesses.Storage)} / {Format.Cpu(p.Cpu, BenchProcesses.Client)} / {Format.Number(p.Cpu.OtherPercent, 0)}",
            Format.Number(p.Cpu.Of(BenchProcesses.Service) * 10 / p.PatchesPerSecond, 2),
        ]).ToList();
        Table(text, header, rows);
        foreach (var failed in results.Progressive.Where(p => p.FirstError is not null))
        {
            notes.Add($"progressive {failed.Target}: first error: {failed.FirstError}");
        }
    }

    private static void Reads(StringBuilder text, BenchResults results)
    {
        if (results.Reads.Count == 0)
        {
            return;
        }

        text.AppendLine("## Reads").AppendLine();
        string[] header = ["endpoint", "clients", "requests", "errors", "req/s", "p50 ms", "p99 ms", "CPU service %", "CPU client %", "CPU other %", "machine busy %"];
        var rows = results.Reads.Select(r => (IReadOnlyList<string>)
        [
            $"GET {r.Endpoint}", Int(r.Clients), Int(r.Requests), Int(r.Errors), Format.Number(r.RequestsPerSecond, 0),
            Format.Ms(r.Latency.P50), Format.Ms(r.Latency.P99), Format.Cpu(r.Cpu, BenchProcesses.Service), Format.Cpu(r.Cpu, BenchProcesses.Client),
            Format.Number(r.Cpu.OtherPercent, 0), Format.Number(r.Cpu.MachineBusyPercent, 0),
        ]).ToList();
        Table(text, header, rows);
    }

    private static void Scale(StringBuilder text, BenchResults results, List<string> notes)
    {
        if (results.Scale.Count == 0)
        {
            return;
        }

        text.AppendLine("## Scale: connections uploading to new sessions").AppendLine();
        text.AppendLine("Each connection sends uploads back to back, each to a new session (its grain activates), for a fixed time; `direct` sends the same load straight to the storage server. " +
                        "Ratio is uploads/s against direct at the same count; growth is against the smallest count of the same target; peak RSS is the service's whole process.").AppendLine();
        string[] header = ["target", "connections", "uploads", "errors", "fallbacks", "uploads/s", "ratio", "p50 ms", "p99 ms", "max ms", "wall s", "p50 growth",
            "p99 growth", "peak RSS MB", "CPU % svc / stor / client / other", "machine busy %"];
        var direct = results.Scale.Where(s => s.Target == "direct").ToDictionary(s => s.Connections);
        var rows = new List<IReadOnlyList<string>>();
        foreach (var group in results.Scale.GroupBy(s => s.Target))
        {
            var first = group.First();
            rows.AddRange(group.Select(s => (IReadOnlyList<string>)
            [
                s.Target, Int(s.Connections), Int(s.Uploads), Int(s.Errors), Int(s.Fallbacks), Format.Number(s.UploadsPerSecond, 0),
                direct.TryGetValue(s.Connections, out var baseline) ? Format.Number(s.UploadsPerSecond / baseline.UploadsPerSecond, 2) : "",
                Format.Ms(s.Latency.P50), Format.Ms(s.Latency.P99),
                Format.Ms(s.Latency.Max), Format.Number(s.Wall.TotalSeconds, 2), $"{Format.Number(s.Latency.P50 / first.Latency.P50)}x",
                $"{Format.Number(s.Latency.P99 / first.Latency.P99)}x", s.PeakRssKb is { } kb ? Format.Number(kb / 1024.0, 0) : "",
                $"{Format.Cpu(s.Cpu, BenchProcesses.Service)} / {Format.Cpu(s.Cpu, BenchProcesses.Storage)} / {Format.Cpu(s.Cpu, BenchProcesses.Client)} / {Format.Number(s.Cpu.OtherPercent, 0)}",
                Format.Number(s.Cpu.MachineBusyPercent, 0),
            ]));
        }

        Table(text, header, rows);
        foreach (var failed in results.Scale.Where(s => s.FirstError is not null))
        {
            notes.Add($"scale {failed.Target} {failed.Connections} connections: first error: {failed.FirstError}");
        }
    }

    private static void Table(StringBuilder text, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        text.AppendLine("| " + string.Join(" | ", header) + " |");
        text.AppendLine("|" + string.Concat(header.Select((_, i) => i == 0 ? "---|" : "---:|")));
        foreach (var row in rows)
        {
            text.AppendLine("| " + string.Join(" | ", row) + " |");
        }

        text.AppendLine();
    }

    // Percent of a core for a second is 10 ms of CPU per second; divided by MiB per second.
    private static string PerMiB(UploadCellResult cell, string process) => Format.Number(cell.Cpu.Of(process) * 10 / cell.MiBPerSecond, 2);

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
