using System.Diagnostics;

namespace Recordings.Bench.Measure;

/// <summary>What Linux tells about a process and the machine under /proc; every reader returns null where it cannot.</summary>
public static class ProcFs
{
    /// <summary>VmRSS and VmHWM (peak since start or since <see cref="TryResetPeak"/>) in KiB.</summary>
    public static (long RssKb, long PeakKb)? ReadMemory(int pid)
    {
        try
        {
            long rss = -1, peak = -1;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = KiloBytes(line);
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = KiloBytes(line);
                }
            }

            return rss < 0 || peak < 0 ? null : (rss, peak);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Sets VmHWM back to the current RSS (Linux 4.0+, writing 5 to clear_refs), so the next peak is this run's own.</summary>
    public static bool TryResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>User plus system CPU time the process used so far.</summary>
    public static TimeSpan? CpuTime(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.TotalProcessorTime;
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Machine-wide jiffies from the first line of /proc/stat: busy (not idle, not iowait), iowait, and total.</summary>
    public static (long Busy, long IoWait, long Total)? MachineTicks()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First()
                .Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
            // user nice system idle iowait irq softirq steal (guest time is already inside user).
            var total = fields.Take(8).Sum();
            var idle = fields[3];
            var ioWait = fields[4];
            return (total - idle - ioWait, ioWait, total);
        }
        catch (Exception exception) when (exception is IOException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static long KiloBytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
}
