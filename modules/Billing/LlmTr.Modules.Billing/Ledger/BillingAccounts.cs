using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Data;
using LlmTr.Modules.Billing.Usage;
using LlmTr.SharedKernel;
using Microsoft.EntityFrameworkCore;

namespace LlmTr.Modules.Billing.Ledger;

internal sealed class BillingAccounts(
    IDbContextFactory<BillingDbContext> contexts, AccountCredits credits, IUsageHistory usage, TimeProvider time) : IBillingAccounts
{
    public const string ThresholdField = "Threshold";
    private const int BurnRateDays = 7;

    public async Task<BillingOverview> GetOverviewAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var threshold = await db.Accounts.AsNoTracking().Where(a => a.AccountId == accountId)
            .Select(a => a.LowBalanceThreshold).SingleOrDefaultAsync(cancellationToken);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var spent = (await usage.DailySpendAsync(accountId, today.AddDays(-(BurnRateDays - 1)), today, cancellationToken)).Sum(d => d.Cost);
        var balance = credits.BalanceOf(accountId);
        var daysLeft = spent > 0m ? Math.Max(0m, decimal.Round(balance / (spent / BurnRateDays), 1)) : (decimal?)null;
        return new BillingOverview(accountId, balance, credits.Currency, threshold, spent, daysLeft);
    }

    public async Task<IReadOnlyDictionary<string, string[]>> SetLowBalanceThresholdAsync(
        string accountId, decimal? threshold, CancellationToken cancellationToken = default)
    {
        if (threshold is { } value && (value <= 0m || value > 1_000_000m || decimal.Round(value, Money.MinorUnitDigits(credits.Currency)) != value))
        {
            return new Dictionary<string, string[]>
            {
                [ThresholdField] = [$"Enter an amount above zero, at most 1,000,000, with at most {Money.MinorUnitDigits(credits.Currency)} decimal places; or leave it empty to turn the notice off."],
            };
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // A threshold alone does not change the balance, so the row's version (what hosts reload by) stays as it is.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO billing.accounts ("AccountId", "Balance", "Currency", "Version", "UpdatedAt", "LowBalanceThreshold")
            VALUES ({accountId}, 0, {credits.Currency}, 0, {time.GetUtcNow()}, {threshold})
            ON CONFLICT ("AccountId") DO UPDATE SET "LowBalanceThreshold" = excluded."LowBalanceThreshold", "LowBalanceNotifiedAt" = NULL
            """, cancellationToken);
        return new Dictionary<string, string[]>();
    }
}
