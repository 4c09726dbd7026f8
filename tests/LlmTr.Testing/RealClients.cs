using System.Diagnostics;
using System.Text;

namespace LlmTr.Testing;

/// <summary>
/// The official SDKs and agent CLIs installed in <c>tests/clients</c> (pinned by its lockfile, installed by
/// <c>test.sh</c>), run as their own processes against a host a test started: a Node.js script of that folder, or one
/// of its command-line tools (<c>codex</c>, <c>claude</c>).
/// </summary>
public static class RealClients
{
    private static readonly Lazy<string> Folder = new(Locate);

    /// <summary>The <c>tests/clients</c> folder of the checkout the tests were built from.</summary>
    public static string Directory => Folder.Value;

    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        /// <summary>Everything the process printed, for a failing assertion's message.</summary>
        public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
    }

    /// <summary>Runs <c>node</c> on a script of <c>tests/clients</c> (a path relative to that folder).</summary>
    public static Task<Result> NodeAsync(string script, IReadOnlyDictionary<string, string> environment, TimeSpan? timeout = null, params string[] arguments) =>
        RunAsync("node", [Path.Combine(Directory, script), .. arguments], environment, timeout);

    /// <summary>Runs a command-line tool that <c>tests/clients</c> installed (<c>node_modules/.bin/{tool}</c>).</summary>
    public static Task<Result> ToolAsync(string tool, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan? timeout = null, string? standardInput = null) =>
        RunAsync(Path.Combine(Directory, "node_modules", ".bin", tool), arguments, environment, timeout, standardInput);

    /// <summary>
    /// Runs a process in a new empty home folder of its own (so no user configuration or credential of the machine can
    /// leak into the test), with the given environment on top, and kills it with its children when it outlives
    /// <paramref name="timeout"/> (two minutes by default).
    /// </summary>
    public static async Task<Result> RunAsync(
        string fileName, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan? timeout = null, string? standardInput = null)
    {
        var home = Path.Combine(Path.GetTempPath(), "llmtr-client-home", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(home);
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = home,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Only what a client needs from the machine: no API keys, proxies or tool settings of whoever runs the tests.
        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        start.Environment["HOME"] = home;
        start.Environment["TMPDIR"] = Path.GetTempPath();
        start.Environment["NODE_PATH"] = Path.Combine(Directory, "node_modules");
        start.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{fileName}'.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
        }

        process.StandardInput.Close();
        var limit = timeout ?? TimeSpan.FromMinutes(2);
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"'{Path.GetFileName(fileName)} {string.Join(' ', arguments)}' did not finish within {limit}.\n"
                + new Result(-1, await output, await error));
        }
        finally
        {
            try
            {
                System.IO.Directory.Delete(home, recursive: true);
            }
            catch (IOException)
            {
                // A tool may still be writing a log there; the temporary folder is cleared with the machine.
            }
        }

        return new Result(process.ExitCode, await output, await error);
    }

    private static string Locate()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "tests", "clients");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return File.Exists(Path.Combine(candidate, "node_modules", ".package-lock.json"))
                    ? candidate
                    : throw new InvalidOperationException($"The real-client packages are not installed in {candidate}: run ./test.sh, which installs them (npm ci).");
            }
        }

        throw new InvalidOperationException("No tests/clients folder above " + AppContext.BaseDirectory + ".");
    }
}
