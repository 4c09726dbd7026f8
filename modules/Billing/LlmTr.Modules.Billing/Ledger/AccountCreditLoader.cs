using System.Data;
using LlmTr.Modules.Billing.Data;
using Microsoft.EntityFrameworkCore;

namespace LlmTr.Modules.Billing.Ledger;

/// <summary>Reads accounts (balance, version, key spend) in one snapshot, so a balance and its key spend always agree.</summary>
internal sealed class AccountCreditLoader(IDbContextFactory<BillingDbContext> contexts, AccountCredits credits)
{
    /// <summary>Loads and applies the named accounts, or every account when <paramref name="accountIds"/> is null.</summary>
    public async Task RefreshAsync(IReadOnlyCollection<string>? accountIds, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var accounts = db.Accounts.AsNoTracking();
        var keys = db.KeySpend.AsNoTracking();
        if (accountIds is not null)
        {
            accounts = accounts.Where(a => accountIds.Contains(a.AccountId));
            keys = keys.Where(k => accountIds.Contains(k.AccountId));
        }

        var balances = await accounts.Select(a => new { a.AccountId, a.Balance, a.Version }).ToListAsync(cancellationToken);
        var spend = (await keys.ToListAsync(cancellationToken)).ToLookup(k => k.AccountId, StringComparer.Ordinal);
        await transaction.CommitAsync(cancellationToken);

        credits.Apply(balances.Select(a => new LoadedAccount(
            a.AccountId,
            a.Balance,
            a.Version,
            spend[a.AccountId].ToDictionary(k => k.KeyId, k => new KeySpend(k.Total, k.Month, k.MonthAmount)))));
    }
}
