namespace LlmTr.Bench.Runner;

/// <summary>Percentiles of a set of durations, in milliseconds.</summary>
internal sealed record Percentiles(double P50, double P90, double P99, double Max)
{
    public static Percentiles Of(List<double> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            return new Percentiles(0, 0, 0, 0);
        }

        milliseconds.Sort();
        return new Percentiles(At(milliseconds, 50), At(milliseconds, 90), At(milliseconds, 99), milliseconds[^1]);
    }

    private static double At(List<double> sorted, double percentile)
    {
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}
