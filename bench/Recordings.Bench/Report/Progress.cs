using System.Diagnostics;
using System.Globalization;

namespace Recordings.Bench.Report;

/// <summary>One line per step on stderr, stamped with the time since the run started, so stdout stays the report.</summary>
public sealed class Progress
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private int step;

    public TimeSpan Elapsed => clock.Elapsed;

    public void Section(string title) => Write($"== {title}");

    public void Info(string message) => Write($"   {message}");

    public void Cell(string message) => Write($"[{Interlocked.Increment(ref step),3}] {message}");

    private void Write(string line) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed:mm\\:ss} {line}"));
}
