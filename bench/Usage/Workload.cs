using LlmTr.Modules.Billing.Contracts;

namespace LlmTr.Bench.Usage;

/// <summary>
/// The reports of one case: requests spread round-robin over the accounts and, within each account, over its keys, on
/// one priced model, with token counts, latencies and stream flags that vary from request to request.
/// </summary>
internal sealed class Workload
{
    private static readonly string[] ProcessedIn = ["TR", "US"];
    private readonly string _prefix;
    private readonly string _model;
    private readonly Guid[][] _keys;

    public Workload(string tag, string model, int accounts, int keysPerAccount)
    {
        _prefix = $"ub-{tag}-";
        _model = model;
        Accounts = [.. Enumerable.Range(0, accounts).Select(i => $"bench-usage-{tag}-{i:D5}")];
        _keys = [.. Enumerable.Range(0, accounts).Select(_ => Enumerable.Range(0, keysPerAccount).Select(_ => Guid.NewGuid()).ToArray())];
    }

    public string[] Accounts { get; }

    public UsageReport Report(long n)
    {
        var account = (int)(n % Accounts.Length);
        var keys = _keys[account];
        var key = keys[(int)(n / Accounts.Length % keys.Length)];
        // A cheap spread that repeats rarely: prompt 200–4,199 tokens, completion 20–1,019, latency 150–2,149 ms.
        var mix = (ulong)n * 0x9E3779B97F4A7C15UL;
        var prompt = 200 + (long)(mix >> 52) % 4000;
        var completion = 20 + (long)(mix >> 40 & 0xFFF) % 1000;
        var latency = 150 + (int)(mix >> 20 & 0xFFF) % 2000;
        var now = DateTimeOffset.UtcNow;
        return new UsageReport(
            _prefix + n.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Accounts[account],
            key,
            _model,
            now.AddMilliseconds(-latency),
            TimeSpan.FromMilliseconds(latency),
            UsageOutcome.Succeeded,
            200,
            new UsageCounts(prompt, completion, CachedPromptTokens: prompt / 4),
            ProcessedIn,
            Streamed: (n & 1) == 0)
        {
            Reserved = true,
            Deployment = "bench-deployment",
            UpstreamLatencyMs = latency - 3,
        };
    }
}
