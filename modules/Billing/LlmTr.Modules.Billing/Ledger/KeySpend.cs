namespace LlmTr.Modules.Billing.Ledger;

/// <summary>A key's spend: in all, and in the latest UTC month it spent in (earlier months matter only to the total).</summary>
internal readonly record struct KeySpend(decimal Total, DateOnly Month, decimal MonthAmount)
{
    public decimal In(DateOnly month) => Month == month ? MonthAmount : 0m;

    /// <summary>Adds (or, negative, takes away) spend of <paramref name="month"/>; a later month starts the month over.</summary>
    public KeySpend Add(decimal amount, DateOnly month) =>
        month == Month ? new KeySpend(Total + amount, Month, MonthAmount + amount)
        : month > Month ? new KeySpend(Total + amount, month, amount)
        : this with { Total = Total + amount };

    public static DateOnly MonthOf(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateOnly(utc.Year, utc.Month, 1);
    }
}

/// <summary>Part of a batch's cost for one key and month.</summary>
internal readonly record struct KeyPart(Guid KeyId, DateOnly Month, decimal Amount);

/// <summary>
/// An account's share of one usage batch as this host queued it (duplicates included): what stops counting as
/// unwritten once the batch is settled. What the database took comes back from the debit itself, as the account's state.
/// </summary>
internal sealed record AccountBatch(string AccountId, decimal Queued, IReadOnlyList<KeyPart> QueuedKeys);

/// <summary>An account as the database holds it, read in one snapshot.</summary>
internal sealed record LoadedAccount(string AccountId, decimal Balance, long Version, IReadOnlyDictionary<Guid, KeySpend> Keys);
