using LlmTr.Modules.Billing.TopUps;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;

namespace LlmTr.Modules.Billing.Payments;

internal enum WebhookVerdict
{
    Handled,
    Ignored,
    Rejected,
}

/// <summary>
/// Stripe's webhook: the signature is checked with Stripe.net's own verification (a bad, missing or stale signature
/// is refused before anything is read), then the Checkout events settle their top-up.
/// </summary>
internal sealed partial class StripeWebhook(
    TopUpSettlement settlement, IOptions<StripeOptions> options, TimeProvider time, ILogger<StripeWebhook> logger)
{
    public async Task<WebhookVerdict> HandleAsync(string json, string? signature, CancellationToken cancellationToken)
    {
        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ConstructEvent(
                json, signature ?? "", options.Value.WebhookSecret, (long)options.Value.WebhookTolerance.TotalSeconds, time.GetUtcNow().ToUnixTimeSeconds());
        }
        catch (StripeException e)
        {
            // Stripe.net's messages name what failed (format, signature, timestamp), never the secret or the payload.
            LogRejected(logger, e.Message);
            return WebhookVerdict.Rejected;
        }
        catch (Exception e) when (e is Newtonsoft.Json.JsonException or System.Text.Json.JsonException or ArgumentException or InvalidCastException)
        {
            LogRejected(logger, "the signed body is not a Stripe event");
            return WebhookVerdict.Rejected;
        }

        if (stripeEvent.Data?.Object is not Session session || TopUpIdOf(session) is not { } topUpId)
        {
            return WebhookVerdict.Ignored;
        }

        switch (stripeEvent.Type)
        {
            case EventTypes.CheckoutSessionCompleted when StripePaymentProvider.IsPaid(session):
            case EventTypes.CheckoutSessionAsyncPaymentSucceeded:
                await settlement.PaidAsync(new PaymentNotice(
                    topUpId, session.Id, session.AmountTotal ?? 0, session.Currency ?? "", session.PaymentIntentId, stripeEvent.Id, stripeEvent.Type), cancellationToken);
                return WebhookVerdict.Handled;
            case EventTypes.CheckoutSessionExpired:
                await settlement.ExpiredAsync(topUpId, stripeEvent.Id, stripeEvent.Type, "The checkout expired unpaid.", cancellationToken);
                return WebhookVerdict.Handled;
            case EventTypes.CheckoutSessionAsyncPaymentFailed:
                await settlement.FailedAsync(topUpId, stripeEvent.Id, stripeEvent.Type, "The payment failed.", cancellationToken);
                return WebhookVerdict.Handled;
            default:
                // Completed but not yet paid (a delayed payment method): the async_payment_* event settles it.
                return WebhookVerdict.Ignored;
        }
    }

    private static Guid? TopUpIdOf(Session session) =>
        (session.Metadata?.GetValueOrDefault(StripePaymentProvider.TopUpIdKey) ?? session.ClientReferenceId) is { } text && Guid.TryParse(text, out var id)
            ? id
            : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Stripe webhook: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);
}
