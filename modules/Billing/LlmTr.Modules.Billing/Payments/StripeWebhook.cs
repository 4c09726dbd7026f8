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
/// <remarks>
/// Stripe.net is built for one API version (<see cref="StripeConfiguration.ApiVersion"/>) and by default refuses any event
/// rendered in another, which a webhook endpoint created on an older version (or an account Stripe moved on) sends. The
/// authenticity of an event lies in its signature, not its version, so events of other versions are accepted when they
/// are signed and Stripe.net can read them: the fields used here (the session's id, metadata, amount, currency, payment
/// status and payment intent) have kept their names and meaning across versions. An event that cannot be read is refused.
/// </remarks>
internal sealed partial class StripeWebhook(
    TopUpSettlement settlement, IOptions<StripeOptions> options, TimeProvider time, ILogger<StripeWebhook> logger)
{
    public async Task<WebhookVerdict> HandleAsync(string json, string? signature, CancellationToken cancellationToken)
    {
        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ConstructEvent(
                json, signature ?? "", options.Value.WebhookSecret, (long)options.Value.WebhookTolerance.TotalSeconds, time.GetUtcNow().ToUnixTimeSeconds(),
                throwOnApiVersionMismatch: false);
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

        if (!string.Equals(stripeEvent.ApiVersion, StripeConfiguration.ApiVersion, StringComparison.Ordinal))
        {
            LogOtherApiVersion(logger, stripeEvent.ApiVersion ?? "none", StripeConfiguration.ApiVersion);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "A signed Stripe event of API version {EventVersion} arrived (Stripe.net expects {PinnedVersion}); it is read as it is")]
    private static partial void LogOtherApiVersion(ILogger logger, string eventVersion, string pinnedVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Stripe webhook: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);
}
