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
/// <param name="TaxRate">The tax (KDV) charged on credit and margin together (0.20 is 20%); zero charges none.</param>
/// <param name="TaxName">What the tax is called on quotes and receipts (KDV).</param>
public sealed record TopUpTerms(
    decimal MinCredit, decimal MaxCredit, IReadOnlyList<decimal> Presets, decimal MarginRate, string Currency, bool TestPayments, bool Enabled = true,
    decimal TaxRate = 0m, string TaxName = "KDV")
{
    public TopUpQuote Quote(decimal credit) => TopUpQuote.For(credit, MarginRate, Currency, TaxRate);
}

/// <summary>
/// What a top-up of <see cref="Credit"/> costs: credit × (1 + margin rate), rounded to the currency's minor unit half
/// away from zero (the margin is whatever that adds), plus the tax on that amount, rounded the same way. Only the
/// credit reaches the balance; <see cref="Total"/> is what the buyer pays.
/// </summary>
public sealed record TopUpQuote(decimal Credit, decimal MarginRate, decimal Margin, decimal Total, string Currency, decimal TaxRate = 0m, decimal Tax = 0m)
{
    /// <summary>Credit and margin: what the tax is charged on.</summary>
    public decimal Subtotal => Total - Tax;

    public static TopUpQuote For(decimal credit, decimal marginRate, string currency, decimal taxRate = 0m)
    {
        var subtotal = new Money(credit * (1m + marginRate), currency).RoundToMinorUnit().Amount;
        var tax = new Money(subtotal * taxRate, currency).RoundToMinorUnit().Amount;
        return new TopUpQuote(credit, marginRate, subtotal - credit, subtotal + tax, currency, taxRate, tax);
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

    /// <summary>The buyer cancelled it before paying; a payment that still arrives is credited once, as for an expired one.</summary>
    Cancelled,

    /// <summary>The provider reported a payment that does not match the top-up: held for an admin, not credited.</summary>
    Flagged,
}

/// <summary>
/// A top-up as its receipt shows it. The margin and tax rates, the amounts and the seller's and buyer's details are those
/// recorded when it was made, whatever the settings or the billing details are now.
/// </summary>
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
    string? StatusReason,
    DateTimeOffset ExpiresAt = default,
    decimal TaxRate = 0m,
    decimal Tax = 0m,
    string TaxName = "",
    SellerDetails? Seller = null,
    BillingDetails? Buyer = null)
{
    /// <summary>Credit and margin: what the tax was charged on.</summary>
    public decimal Subtotal => Total - Tax;

    /// <summary>
    /// The status to show at <paramref name="now"/>: a pending top-up whose checkout has closed is expired (the job
    /// that records it runs later, leaving room for a late payment notice, which would still be credited).
    /// </summary>
    public TopUpStatus StatusAt(DateTimeOffset now) => Status == TopUpStatus.Pending && ExpiresAt != default && ExpiresAt <= now ? TopUpStatus.Expired : Status;

    /// <summary>Whether the buyer can still go back to its checkout, or cancel it, at <paramref name="now"/>.</summary>
    public bool IsOpenAt(DateTimeOffset now) => StatusAt(now) == TopUpStatus.Pending;
}

/// <summary>The seller on a receipt, from the installation's settings when the top-up was made.</summary>
public sealed record SellerDetails(string LegalName, string Address, string TaxOffice, string TaxNumber);

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

/// <summary>A top-up left pending at its checkout: going back to pay it, or calling it off.</summary>
public interface IPendingTopUps
{
    /// <summary>
    /// Where to send the buyer to finish paying: the same checkout while it is open. A checkout the provider already
    /// saw paid is settled instead (credited once), and one that has closed is recorded as expired.
    /// </summary>
    Task<PendingTopUpResult> ResumeAsync(string accountId, Guid topUpId, Uri siteBase, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels the top-up and closes its checkout at the provider (a Stripe session is expired), so it cannot be paid
    /// afterwards. A payment that was made before the checkout closed is still credited, once.
    /// </summary>
    Task<PendingTopUpResult> CancelAsync(string accountId, Guid topUpId, CancellationToken cancellationToken = default);
}

public enum PendingTopUpOutcome
{
    /// <summary>Resume: the checkout is open at <see cref="PendingTopUpResult.CheckoutUrl"/>.</summary>
    CheckoutOpen,

    /// <summary>Cancel: the top-up is cancelled and its checkout closed.</summary>
    Cancelled,

    /// <summary>The provider had the payment already: the top-up is completed and credited.</summary>
    AlreadyPaid,

    /// <summary>Nothing to do: the top-up is no longer pending (or its checkout has closed); see its status.</summary>
    NotPending,

    /// <summary>The payment provider did not answer; nothing changed.</summary>
    ProviderUnavailable,

    /// <summary>No such top-up on this account.</summary>
    NotFound,
}

public sealed record PendingTopUpResult(PendingTopUpOutcome Outcome, TopUpSummary? TopUp, Uri? CheckoutUrl = null);
