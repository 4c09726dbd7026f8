using System.Globalization;
using FluentValidation;
using LlmTr.Identity;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Data;
using LlmTr.Modules.Billing.Ledger;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Modules.Billing.Administration;

internal sealed class BillingAdministration(
    IDbContextFactory<BillingDbContext> contexts,
    AccountCredits credits,
    AccountCreditLoader loader,
    IValidator<ManualEntry> rules,
    IServiceScopeFactory scopes,
    IAdminAudit audit,
    TimeProvider time) : IBillingAdministration
{
    public async Task<IReadOnlyList<LedgerEntry>> LedgerAsync(string accountId, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entries = await db.LedgerEntries.AsNoTracking().Where(e => e.AccountId == accountId)
            .OrderByDescending(e => e.Id).Take(Math.Clamp(take, 1, 1000)).ToListAsync(cancellationToken);
        return entries.Select(e => e.ToContract()).ToList();
    }

    public async Task<IReadOnlyList<TopUpSummary>> FlaggedTopUpsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var topUps = await db.TopUps.AsNoTracking().Where(t => t.Status == TopUpStatus.Flagged)
            .OrderBy(t => t.CreatedAt).Take(500).ToListAsync(cancellationToken);
        return topUps.Select(t => t.ToContract()).ToList();
    }

    public async Task<LedgerCommandResult> AdjustAsync(string accountId, decimal amount, string reason, string actor, CancellationToken cancellationToken = default)
    {
        var validation = await rules.ValidateAsync(new ManualEntry(amount, reason, actor, credits.Currency), cancellationToken);
        if (!validation.IsValid)
        {
            return new LedgerCommandResult(null, ManualEntryValidator.Errors(validation));
        }

        if (!await AccountExistsAsync(accountId))
        {
            return LedgerCommandResult.Invalid("AccountId", "There is no such account.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var entry = await db.PostAsync(NewEntry(accountId, LedgerEntryKind.Adjustment, amount, reason, actor, topUpId: null), cancellationToken);
        await audit.RecordAsync(new AdminAction(actor, AdminActions.CreditAdjusted, $"account:{accountId}",
            string.Create(CultureInfo.InvariantCulture, $"{amount} {credits.Currency}: {reason.Trim()}")), transaction.GetDbTransaction(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await loader.RefreshAsync([accountId], cancellationToken);
        return new LedgerCommandResult(entry.ToContract(), new Dictionary<string, string[]>());
    }

    public async Task<LedgerCommandResult> RefundAsync(Guid topUpId, decimal? amount, string reason, string actor, CancellationToken cancellationToken = default)
    {
        // Validated as a debit of the amount asked for (or a token unit when "all of it" is asked), so one rule set applies.
        var validation = await rules.ValidateAsync(new ManualEntry(amount ?? 1m, reason, actor, credits.Currency), cancellationToken);
        if (!validation.IsValid)
        {
            return new LedgerCommandResult(null, ManualEntryValidator.Errors(validation));
        }

        if (amount < 0m)
        {
            return LedgerCommandResult.Invalid("Amount", "Enter the amount to refund as a positive number.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var topUp = await db.TopUps.FromSql($"""SELECT * FROM billing.top_ups WHERE "Id" = {topUpId} FOR UPDATE""").SingleOrDefaultAsync(cancellationToken);
        if (topUp is null)
        {
            return LedgerCommandResult.Invalid("TopUpId", "There is no such top-up.");
        }

        if (topUp.Status != TopUpStatus.Completed)
        {
            return LedgerCommandResult.Invalid("TopUpId", $"Only a completed top-up can be refunded; this one is {topUp.Status.ToString().ToLowerInvariant()}.");
        }

        var stored = await db.Accounts.FromSql($"""SELECT * FROM billing.accounts WHERE "AccountId" = {topUp.AccountId} FOR UPDATE""")
            .Select(a => a.Balance).SingleAsync(cancellationToken);
        var unused = Math.Min(stored, credits.BalanceOf(topUp.AccountId)); // usage still being written on this host counts as used
        var refundable = Math.Max(0m, Math.Min(topUp.Credit - topUp.Refunded, RoundDown(unused, topUp.Currency)));
        var refund = amount ?? refundable;
        if (refund <= 0m)
        {
            return LedgerCommandResult.Invalid("Amount", "Nothing of this top-up is left unused to refund.");
        }

        if (refund > refundable)
        {
            return LedgerCommandResult.Invalid("Amount", $"At most {refundable:0.00} {topUp.Currency} of this top-up is unused and refundable.");
        }

        topUp.Refunded += refund;
        var entry = await db.PostAsync(NewEntry(topUp.AccountId, LedgerEntryKind.Refund, -refund, reason, actor, topUp.Id), cancellationToken);
        await audit.RecordAsync(new AdminAction(actor, AdminActions.TopUpRefunded, $"topup:{topUp.Id}",
            string.Create(CultureInfo.InvariantCulture, $"{refund} {topUp.Currency} of account {topUp.AccountId}: {reason.Trim()}")), transaction.GetDbTransaction(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await loader.RefreshAsync([topUp.AccountId], cancellationToken);
        return new LedgerCommandResult(entry.ToContract(), new Dictionary<string, string[]>());
    }

    private LedgerEntryRecord NewEntry(string accountId, LedgerEntryKind kind, decimal amount, string reason, string actor, Guid? topUpId) => new()
    {
        AccountId = accountId,
        At = time.GetUtcNow(),
        Kind = kind,
        Amount = amount,
        Currency = credits.Currency,
        Reason = reason.Trim(),
        Actor = actor.Trim(),
        TopUpId = topUpId,
    };

    /// <summary>An account is an organisation: a shared one, or a user's personal one (whose id is the user's).</summary>
    private async Task<bool> AccountExistsAsync(string accountId)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByIdAsync(accountId) is not null
            || await scope.ServiceProvider.GetRequiredService<LlmTr.Identity.Organisations.IOrganisations>().FindAsync(accountId) is not null;
    }

    private static decimal RoundDown(decimal amount, string currency)
    {
        var digits = Money.MinorUnitDigits(currency);
        return decimal.Round(amount, digits, MidpointRounding.ToZero);
    }
}
