using System.Globalization;
using LlmTr.Identity.Organisations;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Data;
using LlmTr.Modules.Billing.Ledger;
using LlmTr.Modules.Billing.Payments;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace LlmTr.Modules.Billing.TopUps;

internal enum SettlementOutcome
{
    Credited,
    AlreadyHandled,
    Flagged,
    Expired,
    Failed,
    Cancelled,
    UnknownTopUp,
}

/// <summary>
/// The one way a top-up's state changes once its checkout is open, whether the news comes from a webhook, the
/// reconciliation job or the test checkout. Each change is one transaction: the provider's event id is recorded, the
/// top-up moves from pending, and a credit lands on the ledger with the margin booked as platform revenue — all or
/// nothing, so a replayed or concurrent notice can never credit twice.
/// </summary>
internal sealed partial class TopUpSettlement(
    IDbContextFactory<BillingDbContext> contexts, AccountCreditLoader loader, IOrganisationAudit audit, TimeProvider time, ILogger<TopUpSettlement> logger)
{
    public async Task<SettlementOutcome> PaidAsync(PaymentNotice notice, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await FirstTimeAsync(db, notice, cancellationToken))
        {
            return SettlementOutcome.AlreadyHandled;
        }

        var topUp = await LockAsync(db, notice.TopUpId, cancellationToken);
        var outcome = topUp switch
        {
            null => SettlementOutcome.UnknownTopUp,
            { Status: TopUpStatus.Completed or TopUpStatus.Flagged } => SettlementOutcome.AlreadyHandled,
            _ when Mismatch(topUp, notice) is { } mismatch => Flag(topUp, mismatch),
            _ => await CreditAsync(db, topUp, notice, cancellationToken),
        };
        await db.SaveChangesAsync(cancellationToken);
        if (outcome == SettlementOutcome.Credited)
        {
            await audit.RecordAsync(new OrganisationAuditEvent(topUp!.AccountId, "payment", OrganisationActions.TopUpCompleted, $"top-up:{topUp.Id}",
                string.Create(CultureInfo.InvariantCulture, $"{topUp.Credit:0.00} {topUp.Currency} credited")), transaction.GetDbTransaction(), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);

        switch (outcome)
        {
            case SettlementOutcome.Credited:
                await loader.RefreshAsync([topUp!.AccountId], cancellationToken);
                LogCredited(logger, topUp.Id, topUp.Credit, topUp.Currency);
                break;
            case SettlementOutcome.Flagged:
                LogFlagged(logger, topUp!.Id, topUp.StatusReason!);
                break;
            case SettlementOutcome.UnknownTopUp:
                LogUnknown(logger, notice.TopUpId, notice.EventType);
                break;
        }

        return outcome;
    }

    /// <summary>The checkout closed unpaid (expired, or abandoned at the test checkout). Only a pending top-up changes.</summary>
    public Task<SettlementOutcome> ExpiredAsync(Guid topUpId, string? eventId, string eventType, string reason, CancellationToken cancellationToken) =>
        EndAsync(topUpId, eventId, eventType, TopUpStatus.Expired, reason, cancellationToken);

    /// <summary>The buyer called the top-up off before paying. Only a pending top-up changes.</summary>
    public Task<SettlementOutcome> CancelledAsync(Guid topUpId, string reason, CancellationToken cancellationToken) =>
        EndAsync(topUpId, null, "buyer.cancelled", TopUpStatus.Cancelled, reason, cancellationToken);

    /// <summary>The payment was attempted and failed (a delayed method was declined).</summary>
    public Task<SettlementOutcome> FailedAsync(Guid topUpId, string? eventId, string eventType, string reason, CancellationToken cancellationToken) =>
        EndAsync(topUpId, eventId, eventType, TopUpStatus.Failed, reason, cancellationToken);

    private async Task<SettlementOutcome> EndAsync(
        Guid topUpId, string? eventId, string eventType, TopUpStatus status, string reason, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await FirstTimeAsync(db, new PaymentNotice(topUpId, null, 0, "", null, eventId, eventType), cancellationToken))
        {
            return SettlementOutcome.AlreadyHandled;
        }

        var topUp = await LockAsync(db, topUpId, cancellationToken);
        var outcome = SettlementOutcome.AlreadyHandled;
        if (topUp is null)
        {
            outcome = SettlementOutcome.UnknownTopUp;
        }
        else if (topUp.Status == TopUpStatus.Pending || (topUp.Status == TopUpStatus.Expired && status == TopUpStatus.Failed))
        {
            topUp.Status = status;
            topUp.StatusReason = reason;
            outcome = status switch
            {
                TopUpStatus.Failed => SettlementOutcome.Failed,
                TopUpStatus.Cancelled => SettlementOutcome.Cancelled,
                _ => SettlementOutcome.Expired,
            };
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return outcome;
    }

    /// <summary>Records the event id; false when it was already recorded (a replay), which then changes nothing.</summary>
    private async Task<bool> FirstTimeAsync(BillingDbContext db, PaymentNotice notice, CancellationToken cancellationToken) =>
        notice.EventId is null || await db.Database.ExecuteSqlAsync($"""
            INSERT INTO billing.processed_events ("EventId", "Type", "ProcessedAt") VALUES ({notice.EventId}, {notice.EventType}, {time.GetUtcNow()})
            ON CONFLICT ("EventId") DO NOTHING
            """, cancellationToken) == 1;

    private static Task<TopUpRecord?> LockAsync(BillingDbContext db, Guid topUpId, CancellationToken cancellationToken) =>
        db.TopUps.FromSql($"""SELECT * FROM billing.top_ups WHERE "Id" = {topUpId} FOR UPDATE""").SingleOrDefaultAsync(cancellationToken);

    /// <summary>What is wrong with a payment that does not match its top-up, or null when it matches.</summary>
    private static string? Mismatch(TopUpRecord topUp, PaymentNotice notice)
    {
        var expected = MinorUnits.Of(topUp.Total, topUp.Currency);
        if (!string.Equals(notice.Currency, topUp.Currency, StringComparison.OrdinalIgnoreCase) || notice.AmountMinor != expected)
        {
            return $"The payment was {notice.AmountMinor} {notice.Currency.ToUpperInvariant()} (minor units); the top-up expects {expected} {topUp.Currency}.";
        }

        return topUp.CheckoutId is not null && notice.CheckoutId is not null && notice.CheckoutId != topUp.CheckoutId
            ? $"The payment came from checkout {notice.CheckoutId}, not the top-up's own {topUp.CheckoutId}."
            : null;
    }

    private static SettlementOutcome Flag(TopUpRecord topUp, string reason)
    {
        topUp.Status = TopUpStatus.Flagged;
        topUp.StatusReason = reason;
        return SettlementOutcome.Flagged;
    }

    private async Task<SettlementOutcome> CreditAsync(BillingDbContext db, TopUpRecord topUp, PaymentNotice notice, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        topUp.Status = TopUpStatus.Completed;
        topUp.CompletedAt = now;
        topUp.StatusReason = null;
        topUp.PaymentReference = notice.PaymentReference ?? notice.CheckoutId;
        if (topUp.Margin != 0m)
        {
            db.Revenue.Add(new RevenueRecord { TopUpId = topUp.Id, Amount = topUp.Margin, Currency = topUp.Currency, At = now });
        }

        await db.PostAsync(new LedgerEntryRecord
        {
            AccountId = topUp.AccountId,
            At = now,
            Kind = LedgerEntryKind.TopUpCredit,
            Amount = topUp.Credit,
            Currency = topUp.Currency,
            Reason = $"Top-up paid through {topUp.Provider}",
            Actor = topUp.Provider,
            TopUpId = topUp.Id,
        }, cancellationToken);
        return SettlementOutcome.Credited;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Top-up {TopUpId} paid: {Credit} {Currency} credited")]
    private static partial void LogCredited(ILogger logger, Guid topUpId, decimal credit, string currency);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Top-up {TopUpId} flagged for an admin, not credited: {Reason}")]
    private static partial void LogFlagged(ILogger logger, Guid topUpId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A payment notice ({EventType}) names top-up {TopUpId}, which does not exist")]
    private static partial void LogUnknown(ILogger logger, Guid topUpId, string eventType);
}
