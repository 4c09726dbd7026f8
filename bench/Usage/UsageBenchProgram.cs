using System.Globalization;

namespace LlmTr.Bench.Usage;

/// <summary>
/// The usage writer's sustained rate. bench/run.sh --usage prepares the database (migrated, demo catalog loaded) and runs
/// this pinned to one core, PostgreSQL on the other. (An explicit entry point: the host's own <c>Program</c> is the
/// class the in-process host is built from.)
/// </summary>
internal static class UsageBenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        UsageSettings settings;
        try
        {
            settings = UsageSettings.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        // The in-process host finds its content root (the host project's folder) through the manifest next to this
        // program, which WebApplicationFactory looks for in the current folder; paths above are already resolved.
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        await using var database = new Database(settings.Postgres);
        var bench = new UsageBench(settings, database);
        // The first host of the process pays for compiling the host's code (tiered compilation recompiles everything hot
        // within seconds of starting): 60 µs a row of "writer" time after 5 s of warm-up, where later hosts show 10-20.
        // One unmeasured case takes that out of the first measured one.
        UsageBench.Log("priming: one unreported case first, so the first measured one does not include the process's compilation");
        await new UsageBench(settings with { Warmup = TimeSpan.FromSeconds(10), Duration = TimeSpan.FromSeconds(2) }, database)
            .RunAsync(new UsageCase(1, null), 0);
        var results = new List<CaseResult>();
        var index = 0;
        for (var run = 1; run <= settings.Repeat; run++)
        {
            foreach (var usageCase in settings.Cases())
            {
                results.Add(await bench.RunAsync(usageCase, ++index) with { Run = run });
            }
        }

        var postgres = new PostgresFacts(
            await database.SettingAsync("server_version"),
            await database.SettingAsync("synchronous_commit"),
            await database.SettingAsync("fsync"),
            await database.SettingAsync("shared_buffers"));
        var report = UsageReportWriter.Markdown(settings, results, postgres);
        Directory.CreateDirectory(Path.GetDirectoryName(settings.Output)!);
        await File.WriteAllTextAsync(settings.Output, report);
        await Console.Out.WriteAsync(report);
        return results.TrueForAll(r => r.NothingLost) ? 0 : 1;
    }
}
