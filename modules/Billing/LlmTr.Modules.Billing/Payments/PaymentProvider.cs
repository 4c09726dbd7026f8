using LlmTr.Modules.Billing.Data;
using LlmTr.SharedKernel;

namespace LlmTr.Modules.Billing.Payments;

/// <summary>Where buyers pay: Stripe when configured, otherwise the built-in test checkout.</summary>
internal interface IPaymentProvider
{
    /// <summary>Stored on each top-up: <c>stripe</c> or <c>test</c>.</summary>
    string Name { get; }

    /// <summary>Opens a checkout for the top-up's total; retrying for the same top-up never opens a second one.</summary>
    Task<Checkout> OpenCheckoutAsync(TopUpRecord topUp, Uri siteBase, CancellationToken cancellationToken);

    /// <summary>The provider's view of a checkout (to reconcile missed notices), or null when it has none.</summary>
    Task<CheckoutState?> GetCheckoutAsync(string checkoutId, CancellationToken cancellationToken);

    /// <summary>
    /// Closes an open checkout so it can no longer be paid, and answers its state afterwards (a checkout that was paid
    /// first stays paid); null when the provider keeps no checkout of its own.
    /// </summary>
    Task<CheckoutState?> CloseCheckoutAsync(string checkoutId, CancellationToken cancellationToken);
}

internal sealed record Checkout(string Id, Uri Url);

/// <param name="Status">open, complete or expired (Stripe's words).</param>
/// <param name="Paid">Whether the money was taken.</param>
/// <param name="Url">Where the buyer pays while it is open.</param>
internal sealed record CheckoutState(string Id, string Status, bool Paid, long? AmountMinor, string? Currency, string? PaymentReference, Uri? Url = null)
{
    public bool IsOpen => Status == "open" && !Paid;
}

/// <summary>A provider's word that a top-up was paid (or not), whichever way it arrived: webhook, reconciliation, test checkout.</summary>
/// <param name="EventId">The provider's event id, kept so a replay changes nothing; null when the state itself was asked for.</param>
internal sealed record PaymentNotice(Guid TopUpId, string? CheckoutId, long AmountMinor, string Currency, string? PaymentReference, string? EventId, string EventType);

internal static class MinorUnits
{
    /// <summary>An amount in the currency's smallest unit (cents), as payment providers count.</summary>
    public static long Of(decimal amount, string currency) =>
        (long)decimal.Round(amount * Pow10(Money.MinorUnitDigits(currency)), 0, MidpointRounding.AwayFromZero);

    public static decimal ToAmount(long minor, string currency) => minor / Pow10(Money.MinorUnitDigits(currency));

    private static decimal Pow10(int digits) => digits switch
    {
        0 => 1m,
        2 => 100m,
        _ => (decimal)Math.Pow(10, digits),
    };
}
