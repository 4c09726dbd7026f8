using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace LlmTr.Bench.Runner;

/// <summary>Non-streaming load: wrk with a Lua script posting the chat body; one JSON line of results back.</summary>
internal static class Wrk
{
    public sealed record Result(long Requests, long Successes, long Errors, TimeSpan Duration, Percentiles Latency);

    public static async Task<Result> RunAsync(BenchSettings settings, Target target, string bodyFile, int connections, TimeSpan duration)
    {
        var headers = Path.Combine(settings.WorkDirectory, $"headers-{target.Name}.txt");
        await File.WriteAllLinesAsync(headers, target.Headers.Select(h => $"{h.Key}: {h.Value}"));
        var start = new ProcessStartInfo("taskset")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[
                     "-c", settings.LoadCore.ToString(CultureInfo.InvariantCulture), "wrk", "-t1",
                     "-c", connections.ToString(CultureInfo.InvariantCulture),
                     "-d", $"{Math.Max(1, (int)duration.TotalSeconds)}s", "--timeout", "10s",
                     "-s", Path.Combine(settings.Root, "bench", "wrk", "chat.lua"), target.ChatUrl])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["BENCH_BODY"] = bodyFile;
        start.Environment["BENCH_HEADERS"] = headers;
        using var wrk = Process.Start(start) ?? throw new InvalidOperationException("Could not start wrk.");
        var output = wrk.StandardOutput.ReadToEndAsync();
        var error = wrk.StandardError.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        var line = (await output).Split('\n').LastOrDefault(l => l.StartsWith('{'))
            ?? throw new InvalidOperationException($"wrk printed no result (exit {wrk.ExitCode}): {await error}");

        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        var errors = root.GetProperty("errors");
        var failed = errors.GetProperty("status").GetInt64() + errors.GetProperty("timeout").GetInt64();
        var transport = errors.GetProperty("connect").GetInt64() + errors.GetProperty("read").GetInt64() + errors.GetProperty("write").GetInt64();
        var requests = root.GetProperty("requests").GetInt64();
        var latency = root.GetProperty("latency_us");
        return new Result(
            requests,
            requests - errors.GetProperty("status").GetInt64(),
            failed + transport,
            TimeSpan.FromMicroseconds(root.GetProperty("duration_us").GetInt64()),
            new Percentiles(Ms(latency, "p50"), Ms(latency, "p90"), Ms(latency, "p99"), Ms(latency, "max")));
    }

    private static double Ms(JsonElement latency, string name) => latency.GetProperty(name).GetDouble() / 1000;
}
