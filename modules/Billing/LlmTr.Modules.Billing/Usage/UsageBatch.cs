using LlmTr.Modules.Billing.Ledger;

namespace LlmTr.Modules.Billing.Usage;

internal static class UsageBatch
{
    /// <summary>
    /// Splits a batch per account: everything queued (what this host counted), and what the database took — the first
    /// row of each request id it reported written, so a request recorded twice is debited once.
    /// </summary>
    public static IReadOnlyList<AccountBatch> Accounts(IReadOnlyList<PricedUsage> batch, IReadOnlySet<string> written)
    {
        var first = new HashSet<string>(StringComparer.Ordinal);
        return batch
            .Select(u => (Usage: u, Written: written.Contains(u.Report.RequestId) && first.Add(u.Report.RequestId)))
            .ToList()
            .GroupBy(u => u.Usage.Report.AccountId, StringComparer.Ordinal)
            .Select(account => new AccountBatch(
                account.Key,
                account.Sum(u => u.Usage.Cost),
                account.Where(u => u.Written).Sum(u => u.Usage.Cost),
                account.Count(u => u.Written),
                account.Select(u => Part(u.Usage)).ToList(),
                account.Where(u => u.Written).Select(u => Part(u.Usage)).ToList()))
            .ToList();
    }

    /// <summary>Per key: the total, and the amount of the latest month in the parts (what the key's stored spend takes).</summary>
    public static IEnumerable<KeySpendDelta> PerKey(IEnumerable<KeyPart> parts) => parts
        .GroupBy(p => p.KeyId)
        .Select(key =>
        {
            var latest = key.Max(p => p.Month);
            return new KeySpendDelta(key.Key, key.Sum(p => p.Amount), latest, key.Where(p => p.Month == latest).Sum(p => p.Amount));
        });

    private static KeyPart Part(PricedUsage usage) => new(usage.Report.SpendKeyId, usage.Month, usage.Cost);
}

internal readonly record struct KeySpendDelta(Guid KeyId, decimal Total, DateOnly Month, decimal MonthAmount);
