using System.Globalization;

namespace LlmTr.Bench.Runner;

/// <summary>The issue's targets for LLMTR, read off one run (they are reported, not asserted).</summary>
internal static class Targets
{
    public static List<TargetCheck> Evaluate(List<ScenarioResult> scenarios, UsageCheck? usage)
    {
        var checks = new List<TargetCheck>();
        Measurement? Of(string scenario, string target) => scenarios.Single(s => s.Id == scenario).Results.FirstOrDefault(r => r.Target == target);

        if (Of("json-c32", "llmtr") is not { } c32)
        {
            return checks;
        }

        checks.Add(Check("≥ 15,000 req/s at 32 connections", F(c32.Rps, "N0") + " req/s", c32.Rps >= 15_000));
        if (Of("json-c32", "portkey") is { } portkey)
        {
            checks.Add(Check("≥ 15× Portkey's req/s at 32 connections", F(c32.Rps / portkey.Rps, "0.0") + "×", c32.Rps >= 15 * portkey.Rps));
        }

        if (Of("json-c32", "forwarder") is { } forwarder)
        {
            checks.Add(Check("≥ 70% of the bare forwarder's req/s at 32 connections", F(100 * c32.Rps / forwarder.Rps, "0") + "%", c32.Rps >= 0.7 * forwarder.Rps));
        }

        if (Of("json-c1", "llmtr")?.DeltaP50Ms is { } addedMedian)
        {
            checks.Add(Check("≤ 0.3 ms added at the median, 1 connection", Delta(addedMedian), addedMedian <= 0.3));
        }

        if (c32.DeltaP99Ms is { } addedP99)
        {
            checks.Add(Check("≤ 1.5 ms added at p99, 32 connections", $"{Delta(addedP99)} (p99 {F(c32.Latency.P99, "0.00")} ms)", addedP99 <= 1.5));
        }

        if (c32.CpuMicrosecondsPerRequest is { } cpu)
        {
            checks.Add(Check("≤ 60 µs of CPU per request (32 connections)", F(cpu, "0") + " µs", cpu <= 60));
        }

        foreach (var id in (string[])["burst-c1", "burst-c16"])
        {
            if (Of(id, "llmtr")?.DeltaFirstByteP50Ms is { } ttfb)
            {
                checks.Add(Check($"stream first byte within 0.3 ms of direct ({id}, p50)", Delta(ttfb), ttfb <= 0.3));
            }
        }

        if (Of("paced-c8", "llmtr")?.DeltaP50Ms is { } paced)
        {
            checks.Add(Check("paced stream total within 0.5 ms of direct (p50)", Delta(paced), paced <= 0.5));
        }

        var rss = scenarios.SelectMany(s => s.Results).Where(r => r.Target == "llmtr").Max(r => r.PeakRssMb ?? 0);
        checks.Add(Check("resident memory ≤ 250 MB", $"{F(rss, "0")} MB at peak", rss <= 250));
        if (usage is not null)
        {
            checks.Add(Check("usage rows equal successful requests", usage.Passed ? "passed" : "failed", usage.Passed));
        }

        return checks;
    }

    private static TargetCheck Check(string goal, string measured, bool met) => new("llmtr", goal, measured, met);

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>A difference to direct, signed either way (a paced stream can finish sooner than direct's).</summary>
    private static string Delta(double milliseconds) => F(milliseconds, "+0.00;-0.00") + " ms";
}
