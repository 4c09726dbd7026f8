namespace LlmTr.Modules.Billing.Contracts;

/// <summary>
/// Whether an account (and one of its keys) may start a paid request, answered from memory: no database call on the
/// hot path. Balances and per-key spend are kept current on every host from the ledger.
/// </summary>
public interface ICreditGate
{
    /// <param name="keySpendLimit">The key's total spend limit, or null for none.</param>
    /// <param name="keyMonthlySpendLimit">The key's spend limit per calendar month (UTC), or null for none.</param>
    CreditDecision Check(string accountId, Guid keyId, decimal? keySpendLimit, decimal? keyMonthlySpendLimit);

    /// <summary>
    /// <see cref="Check"/> for a paid request about to start, which also holds what the request can cost at most
    /// (<paramref name="maximumCost"/>) against the account's balance and the key's limits while it runs, capped at
    /// what is left of each. A request is admitted only while the balance, and each of the key's limits, less what
    /// the account's (and key's) running requests hold, is above zero. So only the one request admitted on a
    /// remainder can spend past it: parallel requests overshoot the balance, or a key's limit, by at most one request's
    /// maximum cost: across all hosts when Redis is configured and answers, per host otherwise. Completes at once
    /// without Redis. When allowed, call <see cref="Release"/> once the request's usage has been recorded (that debit
    /// replaces the hold).
    /// </summary>
    /// <param name="maximumCost">What the request can cost at most; <see cref="decimal.MaxValue"/> when it cannot be known beforehand.</param>
    /// <param name="member">The member's spend id and budget in the organisation (held like the key's limits); default for none.</param>
    ValueTask<CreditHold> ReserveAsync(string accountId, Guid keyId, decimal? keySpendLimit, decimal? keyMonthlySpendLimit, decimal maximumCost, SpendBudget member = default);

    /// <summary>Gives back what a request admitted by <see cref="ReserveAsync"/> held (after its usage was recorded).</summary>
    void Release(string accountId, in CreditHold hold);
}

/// <summary>Null <see cref="Refusal"/> means go ahead; otherwise the message for a 402 <c>insufficient_credits</c>.</summary>
public sealed record CreditDecision(string? Refusal)
{
    public static CreditDecision Allowed { get; } = new((string?)null);

    public bool IsAllowed => Refusal is null;
}

/// <summary>
/// What <see cref="ICreditGate.ReserveAsync"/> answered: a refusal (the message for a 402 <c>insufficient_credits</c>), or
/// the amount held for the running request against its account and key (a struct: nothing allocated per request).
/// </summary>
public readonly record struct CreditHold(string? Refusal, Guid KeyId, decimal Amount)
{
    public bool IsAllowed => Refusal is null;

    /// <summary>The member spend id the hold is also counted against (empty: none).</summary>
    public Guid MemberId { get; init; }

    public static CreditHold Refused(string refusal) => new(refusal, Guid.Empty, 0m);
}

/// <summary>
/// A member's spend id in an organisation and their budget there (total and per calendar month, UTC; null: no limit).
/// An empty id means the request has no member to count (a personal organisation).
/// </summary>
public readonly record struct SpendBudget(Guid Id, decimal? Total, decimal? Monthly);

/// <summary>Balances for pages and the command line.</summary>
public interface IBalanceQuery
{
    Task<AccountBalance> GetAsync(string accountId, CancellationToken cancellationToken = default);
}

public sealed record AccountBalance(string AccountId, decimal Balance, string Currency);
