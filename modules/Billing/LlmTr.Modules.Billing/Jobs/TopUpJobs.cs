using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Data;
using LlmTr.Modules.Billing.Payments;
using LlmTr.Modules.Billing.TopUps;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlmTr.Modules.Billing.Jobs;

/// <summary>A pending top-up whose checkout closed long enough ago is abandoned: it expires, and a late payment notice can still credit it.</summary>
internal sealed partial class ExpireAbandonedTopUpsJob(
    IDbContextFactory<BillingDbContext> contexts, TopUpSettlement settlement, IOptions<BillingJobOptions> options, TimeProvider time,
    ILogger<ExpireAbandonedTopUpsJob> logger)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.AbandonedAfter;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var abandoned = await db.TopUps.AsNoTracking()
            .Where(t => t.Status == TopUpStatus.Pending && t.ExpiresAt < cutoff)
            .Select(t => t.Id).Take(1000).ToListAsync(cancellationToken);
        var expired = 0;
        foreach (var id in abandoned)
        {
            expired += await settlement.ExpiredAsync(id, null, "job.abandoned", "Abandoned: the checkout closed unpaid.", cancellationToken) == SettlementOutcome.Expired ? 1 : 0;
        }

        LogExpired(logger, expired);
        return expired;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Expired {Count} abandoned top-ups")]
    private static partial void LogExpired(ILogger logger, int count);
}

/// <summary>
/// Asks the payment provider about pending top-ups old enough that their notice should have come: a missed webhook
/// still credits (through the same settlement), and a checkout the provider expired expires here too.
/// </summary>
internal sealed partial class ReconcileTopUpsJob(
    IDbContextFactory<BillingDbContext> contexts, IPaymentProvider provider, TopUpSettlement settlement, IOptions<BillingJobOptions> options,
    TimeProvider time, ILogger<ReconcileTopUpsJob> logger)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.ReconcileAfter;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var pending = await db.TopUps.AsNoTracking()
            .Where(t => t.Status == TopUpStatus.Pending && t.Provider == provider.Name && t.CheckoutId != null && t.CreatedAt < cutoff)
            .OrderBy(t => t.CreatedAt).Take(200).ToListAsync(cancellationToken);
        var settled = 0;
        foreach (var topUp in pending)
        {
            CheckoutState? state;
            try
            {
                state = await provider.GetCheckoutAsync(topUp.CheckoutId!, cancellationToken);
            }
            catch (Exception e) when (e is Stripe.StripeException or HttpRequestException)
            {
                LogUnreachable(logger, topUp.Id, e.GetType().Name);
                continue;
            }

            var outcome = state switch
            {
                { Paid: true } => await settlement.PaidAsync(new PaymentNotice(
                    topUp.Id, state.Id, state.AmountMinor ?? 0, state.Currency ?? "", state.PaymentReference, EventId: null, "reconcile.paid"), cancellationToken),
                { Status: "expired" } => await settlement.ExpiredAsync(topUp.Id, null, "reconcile.expired", "The checkout expired unpaid.", cancellationToken),
                _ => SettlementOutcome.AlreadyHandled,
            };
            settled += outcome is SettlementOutcome.Credited or SettlementOutcome.Expired or SettlementOutcome.Flagged ? 1 : 0;
        }

        LogReconciled(logger, pending.Count, settled);
        return settled;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask the payment provider about top-up {TopUpId} ({Error}); trying again next time")]
    private static partial void LogUnreachable(ILogger logger, Guid topUpId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciled {Checked} pending top-ups; {Settled} settled")]
    private static partial void LogReconciled(ILogger logger, int @checked, int settled);
}
