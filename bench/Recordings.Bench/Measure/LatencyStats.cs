namespace Recordings.Bench.Measure;

/// <summary>Percentiles of a set of latencies in milliseconds (nearest rank: with n samples, p99 is the max when n &lt; 100).</summary>
public sealed record LatencyStats(int Count, double P50, double P99, double Max, double Mean)
{
    public static readonly LatencyStats Empty = new(0, double.NaN, double.NaN, double.NaN, double.NaN);

    public static LatencyStats From(IReadOnlyCollection<double> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            return Empty;
        }

        var sorted = milliseconds.Order().ToArray();
        return new LatencyStats(sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.99), sorted[^1], sorted.Average());
    }

    private static double Rank(double[] sorted, double percentile)
    {
        var index = (int)Math.Ceiling(percentile * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}
