namespace LlmTr.Host.Cli;

/// <summary>
/// A management command given on the host's command line (<c>dotnet run --project src/LlmTr.Host -- migrate</c>).
/// Parsing happens before the host is built, so a typo fails fast with usage and exit code 2.
/// </summary>
internal sealed record ManagementCommand(string Name, IReadOnlyDictionary<string, string?> Options)
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    private static readonly CommandSpec[] Specs =
    [
        new("migrate", "Apply every pending migration (behind the advisory lock).", [], [], []),
        new("seed", "Load the demo data (demo admin, demo catalog) and print the demo admin's credentials.", [], [], []),
        new("users create", "Create a user; --admin adds the Admin role.", ["--email", "--password"], [], ["--admin"]),
        new("keys create", "Create an API key for a user; prints the raw key, once, alone.", ["--email"], ["--name"], []),
        new("credits grant", "Add credit to a user's balance (a negative amount takes it away); an audited ledger adjustment.", ["--email", "--amount"], ["--reason"], []),
        new("usage roll-up", "Recompute the daily usage totals of UTC days FROM to TO (yyyy-MM-dd) from the usage rows still kept.", ["--from", "--to"], [], []),
    ];

    public string? Option(string name) => Options.GetValueOrDefault(name);

    public bool Flag(string name) => Options.ContainsKey(name);

    /// <summary>No command (empty, or only host switches such as --urls) means: serve the site.</summary>
    public static bool IsCommandLine(string[] args) => args.Length > 0 && !args[0].StartsWith('-');

    public static ManagementCommand? Parse(string[] args, out string? error)
    {
        error = null;
        var spec = Specs.FirstOrDefault(s => s.Words.SequenceEqual(args.Take(s.Words.Length), StringComparer.Ordinal));
        if (spec is null)
        {
            error = $"Unknown command '{string.Join(' ', args.TakeWhile(a => !a.StartsWith('-')))}'.";
            return null;
        }

        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = spec.Words.Length; i < args.Length; i++)
        {
            var arg = args[i];
            if (spec.Flags.Contains(arg))
            {
                options[arg] = null;
            }
            else if (spec.Required.Contains(arg) || spec.Optional.Contains(arg))
            {
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    error = $"{arg} needs a value.";
                    return null;
                }

                options[arg] = args[++i];
            }
            else
            {
                error = $"Unknown option '{arg}' for '{spec.Name}'.";
                return null;
            }
        }

        var missing = spec.Required.Where(r => !options.ContainsKey(r)).ToList();
        if (missing.Count > 0)
        {
            error = $"'{spec.Name}' needs {string.Join(" and ", missing)}.";
            return null;
        }

        return new ManagementCommand(spec.Name, options);
    }

    public static string UsageText =>
        "Usage: dotnet run --project src/LlmTr.Host -- <command> [options]" + Environment.NewLine + Environment.NewLine
        + "Commands:" + Environment.NewLine
        + string.Concat(Specs.Select(s => $"  {s.Synopsis,-56} {s.Summary}{Environment.NewLine}")) + Environment.NewLine
        + "With no command the host serves the site. Without ConnectionStrings__Postgres, commands use the local cluster.";

    private sealed record CommandSpec(string Name, string Summary, string[] Required, string[] Optional, string[] Flags)
    {
        public string[] Words { get; } = Name.Split(' ');

        public string Synopsis => string.Join(' ', new[] { Name }
            .Concat(Required.Select(r => $"{r} {r.TrimStart('-').ToUpperInvariant()}"))
            .Concat(Optional.Select(o => $"[{o} {o.TrimStart('-').ToUpperInvariant()}]"))
            .Concat(Flags.Select(f => $"[{f}]")));
    }
}
