using System.Runtime.CompilerServices;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Keys.Contracts;

namespace LlmTr.Web.Tests.Support;

/// <summary>One account's balance, usage rows and keys, held in memory for pages that read them through the contracts.</summary>
public sealed class FakeAccount : IBillingAccounts, IUsageHistory, IApiKeys
{
    public decimal Balance { get; set; }

    public List<UsageRow> Rows { get; } = [];

    public List<ApiKeySummary> Keys { get; } = [];

    public List<UsageFilter> Queries { get; } = [];

    public DateOnly RawKeptFrom { get; set; } = new(2025, 11, 1);

    public static UsageRow Row(string requestId, DateTimeOffset at, string model = "llmtr/demo", decimal cost = 0.0125m, Guid? keyId = null, UsageOutcome outcome = UsageOutcome.Succeeded) =>
        new(requestId, keyId ?? Guid.Empty, model, at, 120, outcome, outcome == UsageOutcome.Succeeded ? 200 : 502, 10, 20, 0, 0, 0, 0m, cost, "USD", ["TR"], true);

    public static ApiKeySummary Key(string name, DateTimeOffset created) =>
        new(Guid.NewGuid(), name, "llmtr-Ab3d…fGh3", created, null, null, null, null, ApiKeyScope.Unrestricted, null, null);

    public Task<BillingOverview> GetOverviewAsync(string accountId, CancellationToken cancellationToken = default) =>
        Task.FromResult(new BillingOverview(accountId, Balance, "USD", null, 0m, null));

    public Task<IReadOnlyDictionary<string, string[]>> SetLowBalanceThresholdAsync(string accountId, decimal? threshold, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<string, string[]>>(new Dictionary<string, string[]>());

    /// <summary>When set, queries wait for it: a slow database, to see what a page shows meanwhile.</summary>
    public TaskCompletionSource? QueryGate { get; set; }

    public async Task<UsagePage> QueryAsync(string accountId, UsageFilter filter, int skip, int take, CancellationToken cancellationToken = default)
    {
        Queries.Add(filter);
        if (QueryGate is { } gate)
        {
            await gate.Task;
        }

        var rows = Rows.Where(r => (filter.KeyId is null || r.KeyId == filter.KeyId) && (filter.ModelId is null || r.ModelId == filter.ModelId)
            && (filter.Outcome is null || r.Outcome == filter.Outcome)).OrderByDescending(r => r.StartedAt).ToList();
        return new UsagePage(rows.Skip(skip).Take(take).ToList(), rows.Count);
    }

    public Task<UsageRow?> FindAsync(string accountId, string requestId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Rows.FirstOrDefault(r => r.RequestId == requestId));

    public async IAsyncEnumerable<UsageRow> ExportAsync(string accountId, UsageFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (var row in Rows)
        {
            yield return row;
        }
    }

    public Task<IReadOnlyList<DailySpend>> DailySpendAsync(string accountId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<DailySpend>>(Rows
            .GroupBy(r => DateOnly.FromDateTime(r.StartedAt.UtcDateTime))
            .Where(g => g.Key >= from && g.Key <= to)
            .Select(g => new DailySpend(g.Key, g.Sum(r => r.Cost), g.Count()))
            .ToList());

    public Task<IReadOnlyList<ModelSpend>> SpendByModelAsync(string accountId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ModelSpend>>(Rows.GroupBy(r => r.ModelId).Select(g => new ModelSpend(g.Key, g.Sum(r => r.Cost), g.Count())).ToList());

    public Task<IReadOnlyList<UsageActivity>> ActivityAsync(string accountId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<UsageActivity>>(Rows
            .GroupBy(r => (Day: DateOnly.FromDateTime(r.StartedAt.UtcDateTime), r.KeyId, r.ModelId))
            .Where(g => g.Key.Day >= from && g.Key.Day <= to)
            .Select(g => new UsageActivity(g.Key.Day, g.Key.KeyId, g.Key.ModelId, g.Count(), g.Sum(r => r.PromptTokens), g.Sum(r => r.CompletionTokens), g.Sum(r => r.Cost)))
            .ToList());

    public Task<CreateApiKeyResult> CreateAsync(KeyHolder holder, NewApiKey request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<ApiKeySummary>> ListAsync(KeyHolder holder, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<ApiKeySummary>>(Keys);

    public Task<ApiKeySummary?> FindAsync(KeyHolder holder, Guid keyId, CancellationToken cancellationToken = default) => Task.FromResult(Keys.FirstOrDefault(k => k.Id == keyId));

    public Task<bool> RevokeAsync(KeyHolder holder, Guid keyId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<CreateApiKeyResult?> RotateAsync(KeyHolder holder, Guid keyId, TimeSpan grace, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
