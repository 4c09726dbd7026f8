namespace LlmTr.Modules.Billing.Contracts;

/// <summary>What the billing dashboard shows about an account, and the settings its owner changes there.</summary>
public interface IBillingAccounts
{
    Task<BillingOverview> GetOverviewAsync(string accountId, CancellationToken cancellationToken = default);

    /// <summary>Null turns the notice off. Errors are keyed "Threshold".</summary>
    Task<IReadOnlyDictionary<string, string[]>> SetLowBalanceThresholdAsync(string accountId, decimal? threshold, CancellationToken cancellationToken = default);
}

/// <param name="SpentLastWeek">Usage cost over the last seven days.</param>
/// <param name="DaysLeft">The balance divided by the last week's average daily spend; null without recent spend.</param>
public sealed record BillingOverview(
    string AccountId,
    decimal Balance,
    string Currency,
    decimal? LowBalanceThreshold,
    decimal SpentLastWeek,
    decimal? DaysLeft)
{
    public bool IsLow => LowBalanceThreshold is { } threshold && Balance < threshold;
}
