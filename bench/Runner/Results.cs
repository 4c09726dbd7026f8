namespace LlmTr.Bench.Runner;

internal enum ScenarioKind
{
    Json,
    Stream,
}

/// <summary>One load shape, run against every target in turn.</summary>
internal sealed record Scenario(string Id, string Title, ScenarioKind Kind, int Concurrency, int Chunks = 0, int PaceMs = 0)
{
    public static IReadOnlyList<Scenario> All { get; } =
    [
        new("json-c1", "Non-streaming, 1 connection", ScenarioKind.Json, 1),
        new("json-c8", "Non-streaming, 8 connections", ScenarioKind.Json, 8),
        new("json-c32", "Non-streaming, 32 connections", ScenarioKind.Json, 32),
        new("json-c64", "Non-streaming, 64 connections", ScenarioKind.Json, 64),
        new("burst-c1", "Streaming burst (20 chunks), concurrency 1", ScenarioKind.Stream, 1, 20),
        new("burst-c16", "Streaming burst (20 chunks), concurrency 16", ScenarioKind.Stream, 16, 20),
        new("paced-c8", "Paced streaming (20 chunks, 10 ms apart), concurrency 8", ScenarioKind.Stream, 8, 20, 10),
    ];
}

/// <summary>One target in one scenario. Latencies in milliseconds; for streams, Latency is the total time of a stream.</summary>
internal sealed record Measurement(
    string Target,
    long Requests,
    long Successes,
    long Errors,
    double Rps,
    Percentiles Latency,
    Percentiles? FirstByte,
    double? CpuMicrosecondsPerRequest,
    double? CpuPercentOfCore,
    double? RssMb,
    double? PeakRssMb)
{
    public double? DeltaP50Ms { get; init; }

    public double? DeltaP99Ms { get; init; }

    public double? DeltaFirstByteP50Ms { get; init; }
}

internal sealed record ScenarioResult(string Id, string Title, string Kind, int Concurrency, int Chunks, int PaceMs, List<Measurement> Results);

/// <summary>Usage rows against what the clients saw, phase by phase (wrk cuts up to one request per connection at its end).</summary>
internal sealed record UsagePhase(string Phase, long ClientSuccesses, long ClientErrors, long RowsSucceeded, long RowsOther, int CutBound, bool Ok);

internal sealed record UsageCheck(bool Passed, long RowsAtEnd, long RowsBeforeStop, IReadOnlyList<UsagePhase> Phases, string Note);

internal sealed record TargetCheck(string Target, string Goal, string Measured, bool? Met);

internal sealed record MachineInfo(string Cpu, int Cores, string Kernel, string Dotnet, string Node, string Wrk);

internal sealed record RunSettingsInfo(double DurationSeconds, double WarmupSeconds, int GatewayCore, int LoadCore, bool InlineCompletions, string Body, string StreamBody);

internal sealed record BenchReport(
    string StartedAt,
    MachineInfo Machine,
    RunSettingsInfo Settings,
    List<ScenarioResult> Scenarios,
    UsageCheck? Usage,
    List<TargetCheck> Targets);

internal sealed record SoakReport(
    string StartedAt,
    MachineInfo Machine,
    int Rate,
    double Minutes,
    long Sent,
    long Succeeded,
    long Failed,
    long Skipped,
    Percentiles Latency,
    double RssStartMb,
    double RssEndMb,
    double CpuMicrosecondsPerRequest,
    IReadOnlyList<LoadClient.SoakWindow> Windows,
    UsageCheck? Usage,
    bool ZeroErrors,
    bool FlatMemory);
