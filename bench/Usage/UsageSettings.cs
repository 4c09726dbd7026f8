using System.Globalization;

namespace LlmTr.Bench.Usage;

/// <summary>What the usage benchmark runs, from its command line; the database comes from the environment (bench/run.sh).</summary>
internal sealed record UsageSettings
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait, after the window, for the rows still queued.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromMinutes(3);

    public IReadOnlyList<int> Accounts { get; init; } = [1, 1000];

    /// <summary>The batch sizes to run; null is the host's default (no setting given).</summary>
    public IReadOnlyList<int?> BatchSizes { get; init; } = [null, 2000];

    public int KeysPerAccount { get; init; } = 3;

    /// <summary>How many times the whole list of cases runs (one after another, so a busy moment spreads over all cases).</summary>
    public int Repeat { get; init; } = 1;

    /// <summary>A model of the demo catalog with token prices, so every row carries a cost.</summary>
    public string Model { get; init; } = "openai/gpt-4o";

    public required string Output { get; init; }

    public required string Postgres { get; init; }

    public int? Core { get; init; }

    public IEnumerable<UsageCase> Cases() =>
        from batch in BatchSizes from accounts in Accounts select new UsageCase(accounts, batch);

    public static UsageSettings Parse(string[] args)
    {
        var settings = new UsageSettings
        {
            Output = Path.Combine(FindRoot(Directory.GetCurrentDirectory()), "bench", "results", "usage.md"),
            Postgres = Environment.GetEnvironmentVariable("BENCH_POSTGRES")
                ?? throw new ArgumentException("BENCH_POSTGRES is not set: run the usage benchmark through bench/run.sh --usage."),
            Core = int.TryParse(Environment.GetEnvironmentVariable("BENCH_USAGE_CORE"), CultureInfo.InvariantCulture, out var core) ? core : null,
        };
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            settings = args[i] switch
            {
                "--quick" => settings with { Duration = TimeSpan.FromSeconds(5), Warmup = TimeSpan.FromSeconds(5) },
                "--duration" => settings with { Duration = Seconds(Next(value, ref i)) },
                "--warmup" => settings with { Warmup = Seconds(Next(value, ref i)) },
                "--accounts" => settings with { Accounts = [.. Numbers(Next(value, ref i))] },
                "--batch-sizes" => settings with { BatchSizes = [.. Next(value, ref i).Split(',', StringSplitOptions.TrimEntries).Select(BatchSize)] },
                "--repeat" => settings with { Repeat = int.Parse(Next(value, ref i), CultureInfo.InvariantCulture) },
                "--keys" => settings with { KeysPerAccount = int.Parse(Next(value, ref i), CultureInfo.InvariantCulture) },
                "--model" => settings with { Model = Next(value, ref i) },
                "--out" => settings with { Output = Path.GetFullPath(Next(value, ref i)) },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'. See bench/README.md."),
            };
        }

        return settings;
    }

    private static int? BatchSize(string text) =>
        text == "default" ? null : int.Parse(text, CultureInfo.InvariantCulture);

    private static IEnumerable<int> Numbers(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries).Select(n => int.Parse(n, CultureInfo.InvariantCulture));

    private static string Next(string? value, ref int i)
    {
        i++;
        return value ?? throw new ArgumentException("An option is missing its value.");
    }

    private static TimeSpan Seconds(string text) => TimeSpan.FromSeconds(double.Parse(text, CultureInfo.InvariantCulture));

    private static string FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LlmTr.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmark from inside the LLMTR checkout (no LlmTr.sln found above the current folder).");
    }
}
