using System.Globalization;
using LlmTr.Modules.Billing.Data;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;

namespace LlmTr.Modules.Billing.Payments;

/// <summary>
/// Stripe Checkout through Stripe.net's own client, pointed at <c>Stripe:ApiBase</c> when that is set. The session
/// carries the top-up's id in its metadata (how a webhook finds the top-up) and is created under an idempotency key
/// derived from the top-up, so a retried request never opens a second checkout.
/// </summary>
internal sealed class StripePaymentProvider(IOptions<StripeOptions> options) : IPaymentProvider
{
    public const string ProviderName = "stripe";
    public const string TopUpIdKey = "top_up_id";

    private readonly StripeClient _client = new(
        apiKey: options.Value.SecretKey,
        apiBase: string.IsNullOrWhiteSpace(options.Value.ApiBase) ? null : options.Value.ApiBase);

    public string Name => ProviderName;

    public async Task<Checkout> OpenCheckoutAsync(TopUpRecord topUp, Uri siteBase, CancellationToken cancellationToken)
    {
        var id = topUp.Id.ToString();
        var currency = topUp.Currency.ToLowerInvariant();
        var lineItems = new List<SessionLineItemOptions> { LineItem("LLMTR credit", topUp.Credit, topUp.Currency, "Added to your LLMTR balance.") };
        if (topUp.Margin != 0m)
        {
            lineItems.Add(LineItem(
                string.Create(CultureInfo.InvariantCulture, $"Platform margin ({topUp.MarginRate * 100m:0.##}%)"), topUp.Margin, topUp.Currency,
                "LLMTR's margin, charged on top-ups only: model prices carry none."));
        }

        if (topUp.Tax != 0m)
        {
            lineItems.Add(LineItem(
                string.Create(CultureInfo.InvariantCulture, $"{topUp.TaxName} ({topUp.TaxRate * 100m:0.##}%)"), topUp.Tax, topUp.Currency,
                "Tax on the credit and the margin."));
        }

        var session = await new SessionService(_client).CreateAsync(new SessionCreateOptions
        {
            Mode = "payment",
            Currency = currency,
            ClientReferenceId = id,
            Metadata = new Dictionary<string, string> { [TopUpIdKey] = id },
            PaymentIntentData = new SessionPaymentIntentDataOptions { Metadata = new Dictionary<string, string> { [TopUpIdKey] = id } },
            LineItems = lineItems,
            SuccessUrl = new Uri(siteBase, $"/dashboard/billing?topUp={id}").ToString(),
            CancelUrl = new Uri(siteBase, $"/dashboard/billing?topUp={id}&cancelled=true").ToString(),
            ExpiresAt = topUp.ExpiresAt.UtcDateTime,
        }, new RequestOptions { IdempotencyKey = $"llmtr-top-up-{id}" }, cancellationToken);
        return new Checkout(session.Id, new Uri(session.Url));
    }

    public async Task<CheckoutState?> GetCheckoutAsync(string checkoutId, CancellationToken cancellationToken) =>
        State(await new SessionService(_client).GetAsync(checkoutId, cancellationToken: cancellationToken));

    /// <remarks>
    /// Stripe expires only an open session; for one already complete or expired it answers 400, and the session's own
    /// state then says what happened (paid before the cancel reached Stripe, or closed already).
    /// </remarks>
    public async Task<CheckoutState?> CloseCheckoutAsync(string checkoutId, CancellationToken cancellationToken)
    {
        try
        {
            return State(await new SessionService(_client).ExpireAsync(
                checkoutId, new SessionExpireOptions(), new RequestOptions { IdempotencyKey = $"llmtr-expire-{checkoutId}" }, cancellationToken));
        }
        catch (StripeException e) when (e.HttpStatusCode == System.Net.HttpStatusCode.BadRequest)
        {
            return await GetCheckoutAsync(checkoutId, cancellationToken);
        }
    }

    private static CheckoutState State(Session session) => new(
        session.Id, session.Status, IsPaid(session), session.AmountTotal, session.Currency, session.PaymentIntentId,
        Uri.TryCreate(session.Url, UriKind.Absolute, out var url) ? url : null);

    /// <summary>Paid, or (a free session) owing nothing: what Stripe says when the money is there.</summary>
    public static bool IsPaid(Session session) => session.PaymentStatus is "paid" or "no_payment_required";

    private static SessionLineItemOptions LineItem(string name, decimal amount, string currency, string description) => new()
    {
        Quantity = 1,
        PriceData = new SessionLineItemPriceDataOptions
        {
            Currency = currency.ToLowerInvariant(),
            UnitAmount = MinorUnits.Of(amount, currency),
            ProductData = new SessionLineItemPriceDataProductDataOptions { Name = name, Description = description },
        },
    };
}
