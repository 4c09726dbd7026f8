using System.Globalization;
using System.Text;

namespace LlmTr.Bench.Usage;

internal sealed record PostgresFacts(string Version, string SynchronousCommit, string Fsync, string SharedBuffers);

/// <summary>bench/results/usage.md: the machine, PostgreSQL, the settings and one row per case.</summary>
internal static class UsageReportWriter
{
    public static string Markdown(UsageSettings settings, IReadOnlyList<CaseResult> results, PostgresFacts postgres)
    {
        var text = new StringBuilder();
        var line = (string s) => text.Append(s).Append('\n');
        line("# Usage writer: sustained rate");
        line("");
        line(Invariant($"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC with `bench/run.sh --usage`: the real host built in process as in production ")
            + "(`Production`, the usage writer's binary COPY into a staging table, then rows, ledger debits, key spend and account "
            + "versions in one transaction), fed through `IUsageRecorder` as fast as the writer drains its queue, "
            + Invariant($"{settings.Duration.TotalSeconds:0} s per case after {settings.Warmup.TotalSeconds:0} s of warm-up; rows counted in PostgreSQL."));
        line("");
        line(Invariant($"- Machine: {Cores()} cores ({CpuModel()}); the benchmark process pinned to core {(settings.Core is { } core ? core.ToString(CultureInfo.InvariantCulture) : "(not pinned)")}, PostgreSQL on the other."));
        line(Invariant($"- PostgreSQL {postgres.Version}: `synchronous_commit={postgres.SynchronousCommit}`, `fsync={postgres.Fsync}`, `shared_buffers={postgres.SharedBuffers}`."));
        line(Invariant($"- .NET {Environment.Version}; model `{settings.Model}` (every row priced), {settings.KeysPerAccount} keys per account, requests round-robin over accounts and keys."));
        line("");
        if (settings.Repeat > 1)
        {
            line(Invariant($"Median of {settings.Repeat} runs per case (the lowest and highest in brackets; every run is in the table below):"));
            line("");
            line("| accounts | batch size | rows/s | writer CPU µs/row | PostgreSQL CPU µs/row | PostgreSQL share |");
            line("|--:|--:|--:|--:|--:|--:|");
            foreach (var runs in results.GroupBy(r => r.Case))
            {
                var first = runs.First();
                var rates = runs.Select(r => r.RowsPerSecond).ToList();
                line(Invariant($"| {first.Case.Accounts:N0} | {first.Writer.BatchSize:N0}{(first.Case.BatchSize is null ? " (default)" : "")} ")
                    + Invariant($"| **{Median(rates):N0}** ({rates.Min():N0}–{rates.Max():N0}) | {Median(runs.Select(r => r.Micros(r.WriterCpu))):F1} ")
                    + Invariant($"| {Median(runs.Select(r => r.Micros(r.PostgresCpu))):F1} | {Median(runs.Select(r => r.PostgresShare)):P0} |"));
            }

            line("");
        }

        line("| run | accounts | batch size | flush interval | queue capacity | rows/s | ms per batch | commits/s | writer CPU µs/row | PostgreSQL CPU µs/row | PostgreSQL share | feeder µs/row | WAL bytes/row | queued at end | rows stored / accepted | load average |");
        line("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|:--|--:|");
        foreach (var r in results)
        {
            var batchMs = r.Writer.BatchSize / r.RowsPerSecond * 1000;
            line(Invariant($"| {r.Run} | {r.Case.Accounts:N0} | {r.Writer.BatchSize:N0}{(r.Case.BatchSize is null ? " (default)" : "")} | {r.Writer.FlushInterval.TotalMilliseconds:0} ms | {r.Writer.QueueCapacity:N0} ")
                + Invariant($"| **{r.RowsPerSecond:N0}** | {batchMs:F1} | {r.Commits / r.Window.TotalSeconds:N0} | {r.Micros(r.WriterCpu):F1} | {r.Micros(r.PostgresCpu):F1} | {r.PostgresShare:P0} ")
                + Invariant($"| {r.Micros(r.FeederCpu):F1} | {(double)r.WalBytes / r.RowsInWindow:N0} | {r.BacklogAtEnd:N0} ")
                + Invariant($"| {r.Stored.Rows:N0} / {r.Accepted:N0} {(r.NothingLost ? "✓" : "**MISMATCH**")} | {r.LoadAverage:F1} |"));
        }

        line("");
        line("How to read it:");
        line("");
        line("- **rows/s**: rows committed to `billing.usage_records` per second of the measured window, from two counts in the database; "
            + "**ms per batch** follows from it (the queue stays full, so every batch is full).");
        line("- **writer CPU**: the host process's CPU time less the feeding thread's (`/proc`), per row written: batching, the COPY and "
            + "statement round trips in Npgsql, the in-memory credit's settlement, the host's reading of its own change notices, garbage "
            + Invariant($"collection, and the host's idle background work ({Idle(results)} of CPU per second with nothing to write, measured after each case)."));
        line("- **PostgreSQL CPU**: every process of the cluster (backends, WAL writer, checkpointer, and those already ended); its **share** is "
            + "of writer + PostgreSQL. **commits/s** and **WAL bytes/row** are PostgreSQL's own counters (`pg_stat_database`, the WAL position).");
        line("- **feeder**: building a report and `IUsageRecorder.Record` (pricing, the in-memory debit, queueing): a request's cost on the "
            + "gateway's side, not the writer's.");
        line("- **queued at end**: rows accepted but not yet committed when the window closed (queued, or in the batch being written): about "
            + "the queue's capacity, so the writer never waited for rows. **rows stored / accepted**: after the window every accepted report is waited for; ✓ when rows, the ledger's "
            + "usage debits (requests and amount) and the accounts' balances all match what the recorder accepted and charged.");
        line("- **load average**: the machine's one-minute load average as the window closed. Above the core count, other work shared the "
            + "cores with the case and every time and rate above is worse than on a quiet machine.");
        return text.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Idle(IReadOnlyList<CaseResult> results) =>
        results.Count == 0 ? "?" : Invariant($"{results.Min(r => r.IdleHostCpuPerSecond.TotalMilliseconds):0}–{results.Max(r => r.IdleHostCpuPerSecond.TotalMilliseconds):0} ms");

    private static int Cores() =>
        File.ReadLines("/proc/cpuinfo").Count(l => l.StartsWith("processor", StringComparison.Ordinal));

    private static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
