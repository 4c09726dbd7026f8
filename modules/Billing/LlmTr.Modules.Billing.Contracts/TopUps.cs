using LlmTr.SharedKernel;

namespace LlmTr.Modules.Billing.Contracts;

/// <summary>Buying credit: the terms, starting a checkout, and an account's top-up history with receipts.</summary>
public interface ITopUps
{
    TopUpTerms Terms { get; }

    /// <summary>
    /// Records a pending top-up for <paramref name="credit"/> and opens a checkout for its total with the payment
    /// provider; <paramref name="siteBase"/> is where the provider sends the buyer back to (this site's address).
    /// </summary>
    Task<StartTopUpResult> StartAsync(string accountId, decimal credit, Uri siteBase, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<TopUpSummary>> ListAsync(string accountId, CancellationToken cancellationToken = default);

    /// <summary>Null when the top-up does not exist or belongs to another account.</summary>
    Task<TopUpSummary?> FindAsync(string accountId, Guid topUpId, CancellationToken cancellationToken = default);
}

/// <param name="TestPayments">True when no payment provider is configured and the built-in test checkout takes its place.</param>
/// <param name="Enabled">False when the installation has turned top-ups off (no payment provider): no top-up can start.</param>
public sealed record TopUpTerms(
    decimal MinCredit, decimal MaxCredit, IReadOnlyList<decimal> Presets, decimal MarginRate, string Currency, bool TestPayments, bool Enabled = true)
{
    public TopUpQuote Quote(decimal credit) => TopUpQuote.For(credit, MarginRate, Currency);
}

/// <summary>
/// What a top-up of <see cref="Credit"/> costs: the total is credit × (1 + margin rate), rounded to the currency's
/// minor unit half away from zero; the margin is whatever that adds. Only the credit reaches the balance.
/// </summary>
public sealed record TopUpQuote(decimal Credit, decimal MarginRate, decimal Margin, decimal Total, string Currency)
{
    public static TopUpQuote For(decimal credit, decimal marginRate, string currency)
    {
        var total = new Money(credit * (1m + marginRate), currency).RoundToMinorUnit().Amount;
        return new TopUpQuote(credit, marginRate, total - credit, total, currency);
    }
}

/// <summary>Either where to send the buyer to pay, or what was wrong, per field.</summary>
public sealed record StartTopUpResult(Guid? TopUpId, Uri? CheckoutUrl, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool Succeeded => CheckoutUrl is not null;

    public static StartTopUpResult Invalid(string field, string message) => new(null, null, new Dictionary<string, string[]> { [field] = [message] });
}

public enum TopUpStatus
{
    Pending,
    Completed,
    Expired,
    Failed,

    /// <summary>The provider reported a payment that does not match the top-up: held for an admin, not credited.</summary>
    Flagged,
}

/// <summary>A top-up as its receipt shows it. The margin rate is the one in force when it was made, whatever it is now.</summary>
public sealed record TopUpSummary(
    Guid Id,
    string AccountId,
    DateTimeOffset CreatedAt,
    decimal Credit,
    decimal MarginRate,
    decimal Margin,
    decimal Total,
    string Currency,
    TopUpStatus Status,
    string Provider,
    string? PaymentReference,
    DateTimeOffset? CompletedAt,
    decimal Refunded,
    string? StatusReason);

/// <summary>
/// The built-in test payment provider, active when no real one is configured and the host allows it (Development and the
/// local demo only): a clearly marked page pays or cancels
/// a pending top-up through the same settlement as a real payment. No money moves.
/// </summary>
public interface ITestCheckout
{
    bool IsEnabled { get; }

    /// <summary>Pays the top-up in full; null when it is not the account's or test payments are off.</summary>
    Task<TopUpSummary?> PayAsync(string accountId, Guid topUpId, CancellationToken cancellationToken = default);

    /// <summary>Abandons the top-up as a buyer closing the checkout would (it expires); null as for <see cref="PayAsync"/>.</summary>
    Task<TopUpSummary?> CancelAsync(string accountId, Guid topUpId, CancellationToken cancellationToken = default);
}
