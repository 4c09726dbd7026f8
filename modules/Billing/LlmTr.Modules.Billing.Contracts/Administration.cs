namespace LlmTr.Modules.Billing.Contracts;

/// <summary>
/// The admin console's view of any account's money, and the only ways to change it by hand (each audited). An
/// account's top-ups are <see cref="ITopUps.ListAsync"/>'s, whoever asks.
/// </summary>
public interface IBillingAdministration
{
    Task<IReadOnlyList<LedgerEntry>> LedgerAsync(string accountId, int take, CancellationToken cancellationToken = default);

    /// <summary>Top-ups held because the payment did not match, across all accounts, oldest first.</summary>
    Task<IReadOnlyList<TopUpSummary>> FlaggedTopUpsAsync(CancellationToken cancellationToken = default);

    /// <summary>Credits (positive) or debits (negative) an account; the reason and the actor are kept on the ledger entry.</summary>
    Task<LedgerCommandResult> AdjustAsync(string accountId, decimal amount, string reason, string actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes back a completed top-up's unused credit: at most its credit not yet refunded, and at most the balance.
    /// Null <paramref name="amount"/> means all of that. The money itself goes back through the payment provider.
    /// </summary>
    Task<LedgerCommandResult> RefundAsync(Guid topUpId, decimal? amount, string reason, string actor, CancellationToken cancellationToken = default);
}

public enum LedgerEntryKind
{
    TopUpCredit,
    UsageDebit,
    Adjustment,
    Refund,
}

/// <summary>One immutable change to a balance. Usage is debited per written batch, so one entry may cover many requests.</summary>
public sealed record LedgerEntry(
    long Id,
    string AccountId,
    DateTimeOffset At,
    LedgerEntryKind Kind,
    decimal Amount,
    string Currency,
    string? Reason,
    string? Actor,
    Guid? TopUpId,
    int? RequestCount);

/// <summary>The entry written, or the problems per field ("Amount", "Reason", "Actor", "AccountId", "TopUpId").</summary>
public sealed record LedgerCommandResult(LedgerEntry? Entry, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool Succeeded => Entry is not null;

    public static LedgerCommandResult Invalid(string field, string message) => new(null, new Dictionary<string, string[]> { [field] = [message] });
}
