namespace LlmTr.Modules.Billing.Contracts;

/// <summary>What each of an account's API keys has spent: shown beside the key's limits.</summary>
public interface IKeySpending
{
    /// <summary>Keys that never spent anything are left out.</summary>
    Task<IReadOnlyDictionary<Guid, KeySpendSummary>> ForAccountAsync(string accountId, CancellationToken cancellationToken = default);
}

/// <param name="ThisMonth">Spent in the current calendar month (UTC).</param>
public sealed record KeySpendSummary(decimal Total, decimal ThisMonth, string Currency);
