using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Data;
using LlmTr.Modules.Billing.Payments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LlmTr.Modules.Billing.TopUps;

/// <summary>
/// Going back to an abandoned checkout, or calling it off. Every change of state goes through
/// <see cref="TopUpSettlement"/>, so whatever the order in which a cancel, a payment notice and the jobs arrive, the
/// top-up is credited at most once: a payment that the provider took before the checkout closed is credited (even on a
/// cancelled top-up, as on an expired one), and a closed checkout cannot take one afterwards.
/// </summary>
internal sealed partial class PendingTopUps(
    IDbContextFactory<BillingDbContext> contexts, IPaymentProvider provider, TopUpSettlement settlement, ITopUps topUps, TimeProvider time,
    ILogger<PendingTopUps> logger) : IPendingTopUps
{
    public async Task<PendingTopUpResult> ResumeAsync(string accountId, Guid topUpId, Uri siteBase, CancellationToken cancellationToken = default)
    {
        if (await OwnedAsync(accountId, topUpId, cancellationToken) is not { } topUp)
        {
            return new PendingTopUpResult(PendingTopUpOutcome.NotFound, null);
        }

        if (topUp.Status != TopUpStatus.Pending)
        {
            return new PendingTopUpResult(PendingTopUpOutcome.NotPending, topUp.ToContract());
        }

        if (topUp.ExpiresAt <= time.GetUtcNow() || topUp.CheckoutId is null || topUp.Provider != provider.Name)
        {
            // The checkout has closed (or belongs to a provider this host no longer uses): nothing is left to pay.
            await settlement.ExpiredAsync(topUp.Id, null, "resume.lapsed", "The checkout expired unpaid.", cancellationToken);
            return await ResultAsync(PendingTopUpOutcome.NotPending, accountId, topUpId, cancellationToken);
        }

        if (provider is TestPaymentProvider)
        {
            return new PendingTopUpResult(PendingTopUpOutcome.CheckoutOpen, topUp.ToContract(), new Uri(siteBase, TestPaymentProvider.CheckoutPath(topUp.Id)));
        }

        CheckoutState? state;
        try
        {
            state = await provider.GetCheckoutAsync(topUp.CheckoutId, cancellationToken);
        }
        catch (Exception e) when (e is Stripe.StripeException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogProviderUnavailable(logger, topUp.Id, "resume", e.GetType().Name);
            return new PendingTopUpResult(PendingTopUpOutcome.ProviderUnavailable, topUp.ToContract());
        }

        return state switch
        {
            { Paid: true } => await SettlePaidAsync(topUp, state, "resume.paid", accountId, cancellationToken),
            { IsOpen: true, Url: { } url } => new PendingTopUpResult(PendingTopUpOutcome.CheckoutOpen, topUp.ToContract(), url),
            _ => await ExpireAsync(topUp, "resume.closed", accountId, cancellationToken),
        };
    }

    public async Task<PendingTopUpResult> CancelAsync(string accountId, Guid topUpId, CancellationToken cancellationToken = default)
    {
        if (await OwnedAsync(accountId, topUpId, cancellationToken) is not { } topUp)
        {
            return new PendingTopUpResult(PendingTopUpOutcome.NotFound, null);
        }

        if (topUp.Status != TopUpStatus.Pending)
        {
            return new PendingTopUpResult(PendingTopUpOutcome.NotPending, topUp.ToContract());
        }

        if (topUp.CheckoutId is not null && topUp.Provider == provider.Name)
        {
            // The checkout is closed at the provider first: once that answers, no payment can start there, and any
            // payment that finished before it shows in the answer and is credited instead of cancelled.
            CheckoutState? state;
            try
            {
                state = await provider.CloseCheckoutAsync(topUp.CheckoutId, cancellationToken);
            }
            catch (Exception e) when (e is Stripe.StripeException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                LogProviderUnavailable(logger, topUp.Id, "cancel", e.GetType().Name);
                return new PendingTopUpResult(PendingTopUpOutcome.ProviderUnavailable, topUp.ToContract());
            }

            if (state is { Paid: true })
            {
                return await SettlePaidAsync(topUp, state, "cancel.found-paid", accountId, cancellationToken);
            }
        }

        var outcome = await settlement.CancelledAsync(topUp.Id, "Cancelled by the buyer before paying.", cancellationToken);
        return await ResultAsync(outcome == SettlementOutcome.Cancelled ? PendingTopUpOutcome.Cancelled : PendingTopUpOutcome.NotPending, accountId, topUpId, cancellationToken);
    }

    private async Task<PendingTopUpResult> SettlePaidAsync(TopUpRecord topUp, CheckoutState state, string eventType, string accountId, CancellationToken cancellationToken)
    {
        await settlement.PaidAsync(
            new PaymentNotice(topUp.Id, state.Id, state.AmountMinor ?? 0, state.Currency ?? "", state.PaymentReference, EventId: null, eventType), cancellationToken);
        var settled = await topUps.FindAsync(accountId, topUp.Id, cancellationToken);
        return new PendingTopUpResult(settled?.Status == TopUpStatus.Completed ? PendingTopUpOutcome.AlreadyPaid : PendingTopUpOutcome.NotPending, settled);
    }

    private async Task<PendingTopUpResult> ExpireAsync(TopUpRecord topUp, string eventType, string accountId, CancellationToken cancellationToken)
    {
        await settlement.ExpiredAsync(topUp.Id, null, eventType, "The checkout expired unpaid.", cancellationToken);
        return await ResultAsync(PendingTopUpOutcome.NotPending, accountId, topUp.Id, cancellationToken);
    }

    private async Task<PendingTopUpResult> ResultAsync(PendingTopUpOutcome outcome, string accountId, Guid topUpId, CancellationToken cancellationToken) =>
        new(outcome, await topUps.FindAsync(accountId, topUpId, cancellationToken));

    private async Task<TopUpRecord?> OwnedAsync(string accountId, Guid topUpId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.TopUps.AsNoTracking().SingleOrDefaultAsync(t => t.Id == topUpId && t.AccountId == accountId, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The payment provider did not answer about top-up {TopUpId} ({Action}: {Error}); nothing changed")]
    private static partial void LogProviderUnavailable(ILogger logger, Guid topUpId, string action, string error);
}
