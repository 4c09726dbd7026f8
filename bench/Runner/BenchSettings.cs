using System.Globalization;

namespace LlmTr.Bench.Runner;

/// <summary>What one run measures and how long; from the command line, with the database and key from the environment.</summary>
internal sealed record BenchSettings
{
    public required string Root { get; init; }

    public required string OutputDirectory { get; init; }

    public required string WorkDirectory { get; init; }

    public IReadOnlyList<string> Targets { get; init; } = ["direct", "forwarder", "portkey", "llmtr"];

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    public int GatewayCore { get; init; } = 1;

    public int LoadCore { get; init; }

    public int PortBase { get; init; } = 18100;

    /// <summary>Run the .NET gateways (forwarder and LLMTR) with socket continuations inline on the epoll thread.</summary>
    public bool InlineCompletions { get; init; }

    public bool Soak { get; init; }

    public TimeSpan SoakDuration { get; init; } = TimeSpan.FromMinutes(10);

    public int SoakRate { get; init; } = 2000;

    /// <summary>LLMTR's raw API key and its name (to find its usage rows), created by run.sh through the host's CLI.</summary>
    public string? LlmtrKey { get; init; }

    public string? LlmtrKeyName { get; init; }

    /// <summary>The connection string of LLMTR's database, for the usage-rows check.</summary>
    public string? Postgres { get; init; }

    public int UpstreamPort => PortBase;

    public static BenchSettings Parse(string[] args)
    {
        var root = FindRoot(Directory.GetCurrentDirectory());
        var settings = new BenchSettings
        {
            Root = root,
            OutputDirectory = Path.Combine(root, "bench", "results"),
            WorkDirectory = Path.Combine(root, "bench", ".work"),
            LlmtrKey = Environment.GetEnvironmentVariable("BENCH_LLMTR_KEY"),
            LlmtrKeyName = Environment.GetEnvironmentVariable("BENCH_LLMTR_KEY_NAME"),
            Postgres = Environment.GetEnvironmentVariable("BENCH_POSTGRES"),
        };
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            settings = args[i] switch
            {
                "--quick" => settings with { Duration = TimeSpan.FromSeconds(3), Warmup = TimeSpan.FromSeconds(2) },
                "--duration" => settings with { Duration = Seconds(value, ref i) },
                "--warmup" => settings with { Warmup = Seconds(value, ref i) },
                "--targets" => settings with { Targets = Next(value, ref i).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--gateway-core" => settings with { GatewayCore = Number(value, ref i) },
                "--load-core" => settings with { LoadCore = Number(value, ref i) },
                "--port-base" => settings with { PortBase = Number(value, ref i) },
                "--out" => settings with { OutputDirectory = Path.GetFullPath(Next(value, ref i)) },
                "--inline-completions" => settings with { InlineCompletions = true },
                "--soak" => settings with { Soak = true },
                "--soak-minutes" => settings with { SoakDuration = TimeSpan.FromMinutes(double.Parse(Next(value, ref i), CultureInfo.InvariantCulture)) },
                "--soak-rps" => settings with { SoakRate = Number(value, ref i) },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'. See bench/README.md."),
            };
        }

        return settings;
    }

    private static string Next(string? value, ref int i)
    {
        i++;
        return value ?? throw new ArgumentException("An option is missing its value.");
    }

    private static int Number(string? value, ref int i) => int.Parse(Next(value, ref i), CultureInfo.InvariantCulture);

    private static TimeSpan Seconds(string? value, ref int i) => TimeSpan.FromSeconds(double.Parse(Next(value, ref i), CultureInfo.InvariantCulture));

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
