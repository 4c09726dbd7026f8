using System.Globalization;
using System.Text;

namespace LlmTr.Bench.Runner;

/// <summary>The results as markdown tables: one per scenario, then the issue's targets.</summary>
internal static class Markdown
{
    public static string Render(BenchReport report, IReadOnlyDictionary<string, string> titles)
    {
        var md = new StringBuilder();
        var m = report.Machine;
        Line(md, $"Run {report.StartedAt} on {m.Cpu} ({m.Cores} cores), Linux {m.Kernel}, .NET {m.Dotnet}, Node {m.Node}, {m.Wrk}. " +
                 $"Each gateway alone on core {report.Settings.GatewayCore} (`taskset`); wrk, the load client, the fake upstream and PostgreSQL on core {report.Settings.LoadCore}. " +
                 $"{report.Settings.DurationSeconds:0} s per scenario after {report.Settings.WarmupSeconds:0} s of warm-up" +
                 (report.Settings.InlineCompletions ? "; .NET gateways with `DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1`." : "."));
        Line(md, "");
        foreach (var scenario in report.Scenarios)
        {
            Line(md, $"**{scenario.Title}**");
            Line(md, "");
            if (scenario.Kind == nameof(ScenarioKind.Json))
            {
                Line(md, "| gateway | req/s | p50 ms | p90 ms | p99 ms | Δp50 vs direct | Δp99 vs direct | CPU µs/req | CPU % of core | RSS MB | errors |");
                Line(md, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
                foreach (var r in scenario.Results)
                {
                    Line(md, $"| {titles.GetValueOrDefault(r.Target, r.Target)} | {r.Rps:N0} | {r.Latency.P50:0.00} | {r.Latency.P90:0.00} | {r.Latency.P99:0.00} | " +
                             $"{Delta(r.DeltaP50Ms)} | {Delta(r.DeltaP99Ms)} | {Opt(r.CpuMicrosecondsPerRequest, "0")} | {Opt(r.CpuPercentOfCore, "0")} | {Opt(r.RssMb, "0")} | {r.Errors} |");
                }
            }
            else
            {
                Line(md, "| gateway | streams/s | TTFB p50 ms | TTFB p99 ms | total p50 ms | total p99 ms | ΔTTFB p50 | Δtotal p50 | CPU µs/stream | CPU % of core | RSS MB | errors |");
                Line(md, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
                foreach (var r in scenario.Results)
                {
                    Line(md, $"| {titles.GetValueOrDefault(r.Target, r.Target)} | {r.Rps:N0} | {r.FirstByte?.P50:0.00} | {r.FirstByte?.P99:0.00} | {r.Latency.P50:0.00} | {r.Latency.P99:0.00} | " +
                             $"{Delta(r.DeltaFirstByteP50Ms)} | {Delta(r.DeltaP50Ms)} | {Opt(r.CpuMicrosecondsPerRequest, "0")} | {Opt(r.CpuPercentOfCore, "0")} | {Opt(r.RssMb, "0")} | {r.Errors} |");
                }
            }

            Line(md, "");
        }

        if (report.Usage is { } usage)
        {
            Line(md, $"**Usage rows (LLMTR):** {(usage.Passed ? "passed" : "FAILED")}: {usage.RowsAtEnd:N0} rows in `billing.usage_records` for the run's key. {usage.Note}");
            Line(md, "");
            Line(md, "| phase | client successes | client errors | rows (succeeded) | rows (other) | allowed surplus | ok |");
            Line(md, "|---|--:|--:|--:|--:|--:|---|");
            foreach (var p in usage.Phases)
            {
                Line(md, $"| {p.Phase} | {p.ClientSuccesses:N0} | {p.ClientErrors:N0} | {p.RowsSucceeded:N0} | {p.RowsOther:N0} | {p.CutBound} | {(p.Ok ? "yes" : "NO")} |");
            }

            Line(md, "");
        }

        if (report.Targets.Count > 0)
        {
            Line(md, "**Targets (LLMTR)**");
            Line(md, "");
            Line(md, "| target | measured | met |");
            Line(md, "|---|---|---|");
            foreach (var t in report.Targets)
            {
                Line(md, $"| {t.Goal} | {t.Measured} | {t.Met switch { true => "yes", false => "**no**", null => "n/a" }} |");
            }
        }

        return md.ToString();
    }

    public static string RenderSoak(SoakReport soak)
    {
        var md = new StringBuilder();
        Line(md, $"Soak {soak.StartedAt}: LLMTR at {soak.Rate:N0} requests/s for {soak.Minutes:0.#} min (non-streaming, open loop, latency from each request's due time), on {soak.Machine.Cpu}.");
        Line(md, "");
        Line(md, $"- sent {soak.Sent:N0}, succeeded {soak.Succeeded:N0}, failed {soak.Failed:N0}, skipped (client bound of requests in flight) {soak.Skipped:N0}: zero errors **{(soak.ZeroErrors ? "yes" : "no")}**");
        Line(md, $"- latency p50 {soak.Latency.P50:0.00} ms, p90 {soak.Latency.P90:0.00} ms, p99 {soak.Latency.P99:0.00} ms, max {soak.Latency.Max:0.0} ms; CPU {soak.CpuMicrosecondsPerRequest:0} µs per request");
        Line(md, $"- resident memory {soak.RssStartMb:0} MB after warm-up, {soak.RssEndMb:0} MB at the end: flat **{(soak.FlatMemory ? "yes" : "no")}**");
        if (soak.Usage is { } usage)
        {
            Line(md, $"- usage rows: {usage.RowsAtEnd:N0} for {soak.Succeeded:N0} successful requests: **{(usage.Passed ? "equal" : "NOT equal")}**");
        }

        Line(md, "");
        Line(md, "| second | sent | ok | failed | p50 ms | p99 ms | RSS MB |");
        Line(md, "|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var w in soak.Windows)
        {
            Line(md, $"| {w.Second} | {w.Sent:N0} | {w.Succeeded:N0} | {w.Failed:N0} | {w.P50:0.00} | {w.P99:0.00} | {w.RssMb:0} |");
        }

        return md.ToString();
    }

    private static string Delta(double? ms) => ms is { } v ? (v >= 0 ? "+" : "") + v.ToString("0.00", CultureInfo.InvariantCulture) : "—";

    private static string Opt(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "—";

    private static void Line(StringBuilder md, string text) => md.Append(text).Append('\n');
}
