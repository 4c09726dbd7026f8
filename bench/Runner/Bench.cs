using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LlmTr.Bench.Runner;

/// <summary>The run: the fake upstream once, then each target alone on the gateway core, every scenario against it.</summary>
internal sealed class Bench(BenchSettings settings) : IDisposable
{
    public const string Body =
        """{"model":"openai/gpt-4o","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello to the benchmark in one short sentence."}],"max_tokens":64,"temperature":0.7}""";

    public const string StreamBody =
        """{"model":"openai/gpt-4o","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello to the benchmark in one short sentence."}],"max_tokens":64,"temperature":0.7,"stream":true,"stream_options":{"include_usage":true}}""";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient _control = new() { Timeout = TimeSpan.FromSeconds(5) };

    public async Task<int> RunAsync()
    {
        var startedAt = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var targets = settings.Targets.Select(Resolve).ToList();
        var scenarios = Scenario.All.Select(s => new ScenarioResult(s.Id, s.Title, s.Kind.ToString(), s.Concurrency, s.Chunks, s.PaceMs, [])).ToList();
        UsageCheck? usage = null;
        await using (var upstream = await StartUpstreamAsync())
        {
            foreach (var target in targets)
            {
                Log($"== {target.Title}");
                var (results, check) = await MeasureAsync(target);
                foreach (var (scenario, measurement) in results)
                {
                    scenarios.Single(s => s.Id == scenario.Id).Results.Add(measurement);
                }

                usage ??= check;
            }
        }

        foreach (var scenario in scenarios)
        {
            AddDeltas(scenario);
        }

        var report = new BenchReport(startedAt, await MachineInfoAsync(),
            new RunSettingsInfo(settings.Duration.TotalSeconds, settings.Warmup.TotalSeconds, settings.GatewayCore, settings.LoadCore, settings.InlineCompletions, Body, StreamBody),
            scenarios, usage, Targets.Evaluate(scenarios, usage));
        await File.WriteAllTextAsync(Path.Combine(settings.OutputDirectory, "latest.json"), JsonSerializer.Serialize(report, Json) + "\n");
        var markdown = Markdown.Render(report, targets.ToDictionary(t => t.Name, t => t.Title));
        await File.WriteAllTextAsync(Path.Combine(settings.OutputDirectory, "latest.md"), markdown);
        Console.WriteLine();
        Console.WriteLine(markdown);
        return usage is { Passed: false } ? 1 : 0;
    }

    public async Task<int> SoakAsync()
    {
        var startedAt = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var target = Target.Llmtr(settings);
        await using var upstream = await StartUpstreamAsync();
        await ConfigureUpstreamAsync(20, 0);
        await using var gateway = await StartAsync(target);
        await using var rows = UsageRowsOrNull();
        var bodyFile = await BodyFileAsync("body.json", Body);
        Log($"warm-up {settings.Warmup.TotalSeconds:0} s");
        var warm = await Wrk.RunAsync(settings, target, bodyFile, 32, settings.Warmup);
        var before = rows is null ? null : await rows.SettledAsync(TimeSpan.FromSeconds(30));
        var start = gateway.Sample();
        Log($"soak: {settings.SoakRate} requests/s for {settings.SoakDuration.TotalMinutes:0.#} min");
        using var client = new LoadClient(target, Encoding.UTF8.GetBytes(Body), 512);
        var result = await client.RunOpenLoopAsync(settings.SoakRate, settings.SoakDuration, maxInFlight: 512, TimeSpan.FromSeconds(30),
            () => gateway.Sample().RssBytes / 1048576.0,
            w => Log($"  {w.Second,4} s: {w.Sent} sent, {w.Failed} failed, p50 {w.P50:0.00} ms, p99 {w.P99:0.00} ms, RSS {w.RssMb:0} MB"));
        var end = gateway.Sample();
        UsageCheck? usage = null;
        if (rows is not null && before is not null)
        {
            var settled = await rows.SettledAsync(TimeSpan.FromSeconds(60), before.Succeeded + result.Succeeded);
            await gateway.StopAsync(TimeSpan.FromSeconds(60));
            var final = await rows.CountAsync();
            var phase = new UsagePhase("soak", result.Succeeded, result.Failed, settled.Succeeded - before.Succeeded, settled.Other - before.Other, 0,
                settled.Succeeded - before.Succeeded == result.Succeeded);
            usage = new UsageCheck(phase.Ok && final == settled, final.Total - before.Total, settled.Total - before.Total, [phase],
                $"Warm-up before the soak: {warm.Requests:N0} requests, not counted.");
        }

        var rssStart = start.RssBytes / 1048576.0;
        var rssEnd = end.RssBytes / 1048576.0;
        var half = result.Windows.Count / 2;
        var midRss = result.Windows.Count > 2 ? result.Windows[half].RssMb : rssStart;
        var soak = new SoakReport(startedAt, await MachineInfoAsync(), settings.SoakRate, settings.SoakDuration.TotalMinutes,
            result.Sent, result.Succeeded, result.Failed, result.Skipped, result.Latency, rssStart, rssEnd,
            (end.Cpu - start.Cpu).TotalMicroseconds / Math.Max(1, result.Sent), result.Windows, usage,
            ZeroErrors: result.Failed == 0 && result.Skipped == 0,
            FlatMemory: rssEnd <= midRss * 1.10 + 10);
        await File.WriteAllTextAsync(Path.Combine(settings.OutputDirectory, "soak.json"), JsonSerializer.Serialize(soak, Json) + "\n");
        var markdown = Markdown.RenderSoak(soak);
        await File.WriteAllTextAsync(Path.Combine(settings.OutputDirectory, "soak.md"), markdown);
        Console.WriteLine();
        Console.WriteLine(markdown);
        return soak.ZeroErrors && soak.FlatMemory && usage is not { Passed: false } ? 0 : 1;
    }

    private async Task<(List<(Scenario, Measurement)> Results, UsageCheck? Usage)> MeasureAsync(Target target)
    {
        var jsonBody = await BodyFileAsync("body.json", Body);
        var results = new List<(Scenario, Measurement)>();
        var phases = new List<(string Name, long Successes, long Errors, int CutBound)>();
        var settledCounts = new List<UsageRows.Counts>();
        await using var process = target.Start is null ? null : await StartAsync(target);
        await using var rows = target.Name == "llmtr" ? UsageRowsOrNull() : null;
        var baseline = rows is null ? null : await rows.SettledAsync(TimeSpan.FromSeconds(10));

        // Warm-up: the JIT's tiers and the connection pools settle before anything is counted.
        await ConfigureUpstreamAsync(20, 0);
        var warmJson = await Wrk.RunAsync(settings, target, jsonBody, 32, settings.Warmup);
        phases.Add(("warm-up (wrk, 32 connections)", warmJson.Successes, warmJson.Errors, 32));
        await SettleAsync(rows, settledCounts, baseline, warmJson.Successes);
        using (var warmStreams = new LoadClient(target, Encoding.UTF8.GetBytes(StreamBody), 16))
        {
            var warm = await warmStreams.RunClosedLoopAsync(16, settings.Warmup / 2);
            phases.Add(("warm-up (streams, 16)", warm.Successes, warm.Errors, 0));
        }

        await SettleAsync(rows, settledCounts, baseline, phases[^1].Successes);
        foreach (var scenario in Scenario.All)
        {
            await ConfigureUpstreamAsync(scenario.Chunks == 0 ? 20 : scenario.Chunks, scenario.PaceMs);
            var before = process?.Sample();
            Measurement measurement;
            if (scenario.Kind == ScenarioKind.Json)
            {
                var wrk = await Wrk.RunAsync(settings, target, jsonBody, scenario.Concurrency, settings.Duration);
                var after = process?.Sample();
                measurement = Measure(target, wrk.Requests, wrk.Successes, wrk.Errors, wrk.Duration, wrk.Latency, null, before, after);
                phases.Add((scenario.Id + " (wrk)", wrk.Successes, wrk.Errors, scenario.Concurrency));
            }
            else
            {
                using var client = new LoadClient(target, Encoding.UTF8.GetBytes(StreamBody), scenario.Concurrency);
                var streams = await client.RunClosedLoopAsync(scenario.Concurrency, settings.Duration);
                var after = process?.Sample();
                measurement = Measure(target, streams.Requests, streams.Successes, streams.Errors, streams.Duration, streams.Total, streams.FirstByte, before, after);
                phases.Add((scenario.Id, streams.Successes, streams.Errors, 0));
            }

            Log($"  {scenario.Id,-10} {measurement.Rps,8:N0}/s  p50 {measurement.Latency.P50,6:0.00} ms  p99 {measurement.Latency.P99,6:0.00} ms" +
                (measurement.FirstByte is { } fb ? $"  ttfb p50 {fb.P50:0.00} ms" : "") +
                (measurement.CpuMicrosecondsPerRequest is { } cpu ? $"  cpu {cpu:0} µs/req ({measurement.CpuPercentOfCore:0}%)  rss {measurement.RssMb:0} MB" : "") +
                (measurement.Errors > 0 ? $"  errors {measurement.Errors}" : ""));
            results.Add((scenario, measurement));
            await SettleAsync(rows, settledCounts, baseline, phases[^1].Successes);
        }

        UsageCheck? usage = null;
        if (rows is not null && baseline is not null && process is not null)
        {
            var beforeStop = settledCounts[^1];
            await process.StopAsync(TimeSpan.FromSeconds(60));
            var atEnd = await rows.CountAsync();
            usage = CheckUsage(phases, baseline, settledCounts, beforeStop, atEnd);
            Log($"  usage rows: {(usage.Passed ? "passed" : "FAILED")} ({usage.RowsAtEnd:N0} rows)");
        }

        return (results, usage);
    }

    private static UsageCheck CheckUsage(List<(string Name, long Successes, long Errors, int CutBound)> phases, UsageRows.Counts baseline,
        List<UsageRows.Counts> settled, UsageRows.Counts beforeStop, UsageRows.Counts atEnd)
    {
        var checkedPhases = new List<UsagePhase>();
        var previous = baseline;
        for (var i = 0; i < phases.Count; i++)
        {
            var (name, successes, errors, bound) = phases[i];
            var succeeded = settled[i].Succeeded - previous.Succeeded;
            var other = settled[i].Other - previous.Other;
            var ok = succeeded >= successes && succeeded - successes <= bound && other <= errors + bound;
            checkedPhases.Add(new UsagePhase(name, successes, errors, succeeded, other, bound, ok));
            previous = settled[i];
        }

        var lateRows = atEnd.Total - beforeStop.Total;
        return new UsageCheck(
            checkedPhases.All(p => p.Ok) && lateRows == 0,
            atEnd.Total - baseline.Total,
            beforeStop.Total - baseline.Total,
            checkedPhases,
            "Streams come from the .NET load client, which lets every request finish: their rows must equal the successes exactly. " +
            "wrk stops with up to one request per connection in flight, which the gateway may still finish and bill: those phases allow that many more rows. " +
            $"Rows written after the stop signal: {lateRows}.");
    }

    /// <summary>Counts the rows once the phase just measured has been written (see <see cref="UsageRows.SettledAsync"/>).</summary>
    private static async Task SettleAsync(UsageRows? rows, List<UsageRows.Counts> settled, UsageRows.Counts? baseline, long phaseSuccesses)
    {
        if (rows is not null && baseline is not null)
        {
            var previous = settled.Count > 0 ? settled[^1] : baseline;
            settled.Add(await rows.SettledAsync(TimeSpan.FromSeconds(30), previous.Succeeded + phaseSuccesses));
        }
    }

    private static Measurement Measure(Target target, long requests, long successes, long errors, TimeSpan duration, Percentiles latency, Percentiles? firstByte,
        ProcSample? before, ProcSample? after)
    {
        double? cpuPerRequest = null, cpuPercent = null, rss = null, peak = null;
        if (before is { } b && after is { } a)
        {
            var cpu = a.Cpu - b.Cpu;
            cpuPerRequest = cpu.TotalMicroseconds / Math.Max(1, requests);
            cpuPercent = 100 * cpu.TotalSeconds / Stopwatch.GetElapsedTime(b.At, a.At).TotalSeconds;
            rss = a.RssBytes / 1048576.0;
            peak = a.PeakRssBytes / 1048576.0;
        }

        return new Measurement(target.Name, requests, successes, errors, successes / duration.TotalSeconds, latency, firstByte, cpuPerRequest, cpuPercent, rss, peak);
    }

    private static void AddDeltas(ScenarioResult scenario)
    {
        if (scenario.Results.FirstOrDefault(r => r.Target == "direct") is not { } direct)
        {
            return;
        }

        for (var i = 0; i < scenario.Results.Count; i++)
        {
            var r = scenario.Results[i];
            scenario.Results[i] = r with
            {
                DeltaP50Ms = r.Latency.P50 - direct.Latency.P50,
                DeltaP99Ms = r.Latency.P99 - direct.Latency.P99,
                DeltaFirstByteP50Ms = r.FirstByte is { } fb && direct.FirstByte is { } dfb ? fb.P50 - dfb.P50 : null,
            };
        }
    }

    private Target Resolve(string name) => name switch
    {
        "direct" => Target.Direct(settings),
        "forwarder" => Target.Forwarder(settings),
        "portkey" => Target.Portkey(settings),
        "llmtr" => Target.Llmtr(settings),
        _ => throw new ArgumentException($"Unknown target '{name}': direct, forwarder, portkey, llmtr."),
    };

    private async Task<ChildProcess> StartUpstreamAsync()
    {
        var upstream = ChildProcess.Start("upstream", settings.LoadCore, "dotnet",
            [Path.Combine(settings.Root, "bench", "Upstream", "bin", "Release", "net10.0", "LlmTr.Bench.Upstream.dll"), settings.UpstreamPort.ToString(CultureInfo.InvariantCulture)],
            Path.Combine(settings.WorkDirectory, "logs"));
        await upstream.WaitReadyAsync(settings.UpstreamPort, "/_bench/stats", TimeSpan.FromSeconds(30));
        return upstream;
    }

    private async Task<ChildProcess> StartAsync(Target target)
    {
        var process = target.Start!(settings);
        await process.WaitReadyAsync(target.Port, target.ReadyPath, TimeSpan.FromSeconds(120));
        return process;
    }

    private async Task ConfigureUpstreamAsync(int chunks, int paceMs)
    {
        using var response = await _control.PostAsync(new Uri($"http://127.0.0.1:{settings.UpstreamPort}/_bench/config?chunks={chunks}&pace_ms={paceMs}"), null);
        response.EnsureSuccessStatusCode();
    }

    private UsageRows? UsageRowsOrNull() =>
        settings.Postgres is { Length: > 0 } connection && settings.LlmtrKeyName is { Length: > 0 } name ? new UsageRows(connection, name) : null;

    private async Task<string> BodyFileAsync(string name, string body)
    {
        var path = Path.Combine(settings.WorkDirectory, name);
        await File.WriteAllTextAsync(path, body);
        return path;
    }

    private static async Task<MachineInfo> MachineInfoAsync()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var cores = File.ReadLines("/proc/cpuinfo").Count(l => l.StartsWith("processor", StringComparison.Ordinal));
        return new MachineInfo(cpu, cores, (await OutputOfAsync("uname", "-r")).Trim(), Environment.Version.ToString(),
            (await OutputOfAsync("node", "--version")).Trim(), (await OutputOfAsync("wrk", "--version")).Split('\n')[0].Split('[')[0].Trim());
    }

    private static async Task<string> OutputOfAsync(string program, string argument)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, argument) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = await process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return output.Length > 0 ? output : error;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "not installed";
        }
    }

    private static void Log(string line) => Console.Error.WriteLine(line);

    public void Dispose() => _control.Dispose();
}
