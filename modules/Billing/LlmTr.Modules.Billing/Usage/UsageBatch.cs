using LlmTr.Modules.Billing.Ledger;

namespace LlmTr.Modules.Billing.Usage;

internal static class UsageBatch
{
    /// <summary>
    /// Splits a batch per account, as this host queued it (a request recorded twice counts twice here: both were
    /// debited in memory), in ordinal order of the account ids, the order every host locks accounts in.
    /// </summary>
    public static List<AccountBatch> Accounts(IReadOnlyList<PricedUsage> batch)
    {
        var accounts = new SortedDictionary<string, (decimal Queued, List<KeyPart> Keys)>(StringComparer.Ordinal);
        foreach (var usage in batch)
        {
            var accountId = usage.Report.AccountId;
            if (!accounts.TryGetValue(accountId, out var account))
            {
                account = (0m, []);
            }

            account.Keys.Add(new KeyPart(usage.Report.SpendKeyId, usage.Month, usage.Cost));
            if (usage.Report.MemberSpendId != Guid.Empty)
            {
                account.Keys.Add(new KeyPart(usage.Report.MemberSpendId, usage.Month, usage.Cost)); // the member's budget counts like a key's limit
            }

            accounts[accountId] = (account.Queued + usage.Cost, account.Keys);
        }

        var split = new List<AccountBatch>(accounts.Count);
        foreach (var (accountId, account) in accounts)
        {
            split.Add(new AccountBatch(accountId, account.Queued, account.Keys));
        }

        return split;
    }

    /// <summary>
    /// The rows to write: the first of each request id (a request recorded twice is written and debited once; the
    /// database skips the ones it already has).
    /// </summary>
    public static List<PricedUsage> FirstOfEachRequest(IReadOnlyList<PricedUsage> batch)
    {
        var seen = new HashSet<string>(batch.Count, StringComparer.Ordinal);
        var rows = new List<PricedUsage>(batch.Count);
        foreach (var usage in batch)
        {
            if (seen.Add(usage.Report.RequestId))
            {
                rows.Add(usage);
            }
        }

        return rows;
    }
}
