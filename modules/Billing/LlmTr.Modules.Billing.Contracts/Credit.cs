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
    /// <see cref="Check"/> for a paid request about to start, which also holds <c>Billing:InFlightReserve</c> of the
    /// account's balance while it runs: a request is admitted only while the balance less the reserves of the
    /// account's running requests on this host is above zero. This bounds how far parallel requests can take a balance
    /// below zero before their usage is debited. When allowed, call <see cref="Release"/> once the request's usage has
    /// been recorded.
    /// </summary>
    CreditDecision Reserve(string accountId, Guid keyId, decimal? keySpendLimit, decimal? keyMonthlySpendLimit);

    /// <summary>Gives back the reserve of a request admitted by <see cref="Reserve"/> (after its usage was recorded).</summary>
    void Release(string accountId);
}

/// <summary>Null <see cref="Refusal"/> means go ahead; otherwise the message for a 402 <c>insufficient_credits</c>.</summary>
public sealed record CreditDecision(string? Refusal)
{
    public static CreditDecision Allowed { get; } = new((string?)null);

    public bool IsAllowed => Refusal is null;
}

/// <summary>Balances for pages and the command line.</summary>
public interface IBalanceQuery
{
    Task<AccountBalance> GetAsync(string accountId, CancellationToken cancellationToken = default);
}

public sealed record AccountBalance(string AccountId, decimal Balance, string Currency);
