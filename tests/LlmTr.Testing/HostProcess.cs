using System.Diagnostics;

namespace LlmTr.Testing;

/// <summary>Runs the built host as its own process, the way an operator runs a management command.</summary>
public static class HostProcess
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static Task<Result> RunAsync(string? connectionString, params string[] arguments) =>
        RunAsync(connectionString, new Dictionary<string, string>(), arguments);

    /// <param name="environment">More environment variables for the process (they win over the defaults here).</param>
    public static Task<Result> RunAsync(string? connectionString, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        RunAsync(connectionString, environment, TimeSpan.FromMinutes(2), arguments);

    /// <param name="timeout">How long the process may run before it is killed and the test fails (a host expected to refuse to start gets less).</param>
    public static async Task<Result> RunAsync(
        string? connectionString, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] arguments)
    {
        var hostDll = Path.Combine(AppContext.BaseDirectory, "LlmTr.Host.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(hostDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ConnectionStrings__Postgres"] = connectionString ?? string.Empty;
        start.Environment["LocalState__Directory"] = Path.Combine(Path.GetTempPath(), "llmtr-test-state", Guid.NewGuid().ToString("N"));
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["Keys__HashSecret"] = LlmTrHostFactory.TestKeyHashSecret;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{string.Join(' ', arguments)}' did not finish within {timeout}.");
        }

        return new Result(process.ExitCode, await output, await error);
    }
}
