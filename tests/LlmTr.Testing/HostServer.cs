using System.Collections.Concurrent;
using System.Diagnostics;

namespace LlmTr.Testing;

/// <summary>
/// The built host serving the site as an operating-system process of its own (<c>dotnet LlmTr.Host.dll</c>, configured
/// by environment variables, as an operator runs it), so a test can kill it outright or stop it gracefully.
/// </summary>
public sealed class HostServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private HostServer(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The operating system's id of the host process (for reading its memory from <c>/proc</c>).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts the host and waits until it answers (its background services have started by then).</summary>
    public static async Task<HostServer> StartAsync(string connectionString, IReadOnlyDictionary<string, string> environment)
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LlmTr.Host.dll"));
        start.Environment["ConnectionStrings__Postgres"] = connectionString;
        start.Environment["Urls"] = $"http://127.0.0.1:{port}"; // over appsettings.json's own
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["LocalState__Directory"] = Path.Combine(Path.GetTempPath(), "llmtr-test-state", Guid.NewGuid().ToString("N"));
        start.Environment["Keys__HashSecret"] = LlmTrHostFactory.TestKeyHashSecret;
        start.Environment["Jobs__ServerEnabled"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var server = new HostServer(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, line) => server.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => server.Keep(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            await Poll.UntilAsync(async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"The host exited with code {process.ExitCode}:{Environment.NewLine}{server.Output}");
                }

                try
                {
                    return (await probe.GetAsync("/health/live")).IsSuccessStatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            }, "the host process to serve", TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException e)
        {
            await server.DisposeAsync();
            throw new TimeoutException($"{e.Message} It wrote:{Environment.NewLine}{server.Output}", e);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>What the process wrote last (for failure messages).</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>SIGKILL: the process ends at once, without running any shutdown code.</summary>
    public void Kill() => _process.Kill();

    /// <summary>SIGTERM: what a service manager or orchestrator sends for a graceful stop.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200 && _output.TryDequeue(out _))
        {
        }
    }
}
