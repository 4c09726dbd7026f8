using System.Globalization;

namespace LlmTr.Bench.Runner;

/// <summary>One thing under test: where its chat endpoint is, what it must be sent, and how to start it (null: already running).</summary>
internal sealed record Target(string Name, string Title, int Port, string ChatUrl, IReadOnlyDictionary<string, string> Headers)
{
    public Func<BenchSettings, ChildProcess>? Start { get; init; }

    public string? ReadyPath { get; init; }

    public static Target Direct(BenchSettings s) => new("direct", "direct (no gateway)", s.UpstreamPort,
        $"http://127.0.0.1:{s.UpstreamPort}/v1/chat/completions", new Dictionary<string, string> { ["Authorization"] = "Bearer sk-bench" });

    public static Target Forwarder(BenchSettings s)
    {
        var port = s.PortBase + 1;
        return new Target("forwarder", "bare ASP.NET Core forwarder", port, $"http://127.0.0.1:{port}/v1/chat/completions",
            new Dictionary<string, string> { ["Authorization"] = "Bearer sk-bench" })
        {
            Start = settings => ChildProcess.Start("forwarder", settings.GatewayCore, "dotnet",
                [Path.Combine(settings.Root, "bench", "Forwarder", "bin", "Release", "net10.0", "LlmTr.Bench.Forwarder.dll"),
                    port.ToString(CultureInfo.InvariantCulture), $"http://127.0.0.1:{settings.UpstreamPort}"],
                Logs(settings), environment: DotnetEnvironment(settings)),
        };
    }

    public static Target Portkey(BenchSettings s)
    {
        var port = s.PortBase + 2;
        return new Target("portkey", "Portkey gateway 1.15.2 (Node)", port, $"http://127.0.0.1:{port}/v1/chat/completions",
            new Dictionary<string, string>
            {
                ["Authorization"] = "Bearer sk-bench",
                ["x-portkey-provider"] = "openai",
                ["x-portkey-custom-host"] = $"http://127.0.0.1:{s.UpstreamPort}/v1",
            })
        {
            Start = settings => ChildProcess.Start("portkey", settings.GatewayCore, "node",
                [Path.Combine(settings.Root, "bench", "portkey", "node_modules", "@portkey-ai", "gateway", "build", "start-server.js"),
                    $"--port={port}", "--headless"],
                Logs(settings), environment: new Dictionary<string, string> { ["NODE_ENV"] = "production" }),
        };
    }

    public static Target Llmtr(BenchSettings s)
    {
        var port = s.PortBase + 3;
        var key = s.LlmtrKey ?? throw new InvalidOperationException("BENCH_LLMTR_KEY is not set: run the benchmark through bench/run.sh, which creates the key.");
        // With --redis (bench/run.sh) the host counts its limits and holds in Redis, as each of several hosts would.
        var label = Environment.GetEnvironmentVariable("ConnectionStrings__Redis") is { Length: > 0 }
            ? "LLMTR (auth, rate limit, credit, usage on; limits and holds in Redis)"
            : "LLMTR (auth, rate limit, credit, usage on)";
        return new Target("llmtr", label, port, $"http://127.0.0.1:{port}/v1/chat/completions",
            new Dictionary<string, string> { ["Authorization"] = "Bearer " + key })
        {
            ReadyPath = "/health/ready",
            Start = settings =>
            {
                var host = Path.Combine(settings.Root, "src", "LlmTr.Host");
                var environment = DotnetEnvironment(settings);
                environment["ASPNETCORE_ENVIRONMENT"] = "Production";
                environment["Urls"] = $"http://127.0.0.1:{port}";
                environment["Providers__openai__BaseUrl"] = $"http://127.0.0.1:{settings.UpstreamPort}/v1";
                environment["Providers__openai__ApiKey"] = "sk-bench";

                // The key's per-minute limit is still counted and announced in headers; it is only set high enough
                // not to refuse the benchmark's own load.
                environment["Keys__DefaultRequestsPerMinute"] = "100000000";
                return ChildProcess.Start("llmtr", settings.GatewayCore, "dotnet",
                    [Path.Combine(host, "bin", "Release", "net10.0", "LlmTr.Host.dll")], Logs(settings), workingDirectory: host, environment: environment);
            },
        };
    }

    private static string Logs(BenchSettings settings) => Path.Combine(settings.WorkDirectory, "logs");

    private static Dictionary<string, string> DotnetEnvironment(BenchSettings settings)
    {
        // Both .NET gateways run with the runtime setting the README asks of production hosts: hot methods are
        // optimised as soon as they are hot. Without it a process limited to one core waits for a full second with no
        // new method compiled before optimising anything, which a busy server rarely gets, so it stays unoptimised.
        var environment = new Dictionary<string, string> { ["DOTNET_TC_CallCountingDelayMs"] = "0" };
        if (settings.InlineCompletions)
        {
            environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1";
        }

        return environment;
    }
}
