using System.Globalization;

namespace Recordings.FunctionalTests.Infrastructure;

/// <summary>Values out of a host's <c>/metrics</c> answer (Prometheus' text format).</summary>
public static class PrometheusScrape
{
    /// <summary>The lines of every series of the metric <paramref name="name"/>, whatever their labels.</summary>
    public static IEnumerable<string> Series(string scrape, string name) =>
        scrape.Split('\n').Where(line =>
            line.StartsWith(name, StringComparison.Ordinal) && (line.Length == name.Length || line[name.Length] is ' ' or '{'));

    /// <summary>The sum of every series of the metric <paramref name="name"/>; 0 when there is none.</summary>
    public static double Sum(string scrape, string name) =>
        Series(scrape, name).Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
}
