using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Data;
using LlmTr.Modules.Billing.Ledger;
using Microsoft.EntityFrameworkCore;

namespace LlmTr.Modules.Billing.Administration;

internal sealed class PlatformStatistics(IDbContextFactory<BillingDbContext> contexts, AccountCredits credits) : IPlatformStatistics
{
    public async Task<PlatformOverview> OverviewAsync(DateTimeOffset since, int topModels, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var revenue = await db.Revenue.AsNoTracking().SumAsync(r => (decimal?)r.Amount, cancellationToken) ?? 0m;
        var recent = await db.Revenue.AsNoTracking().Where(r => r.At >= since)
            .GroupBy(_ => 1)
            .Select(g => new { Amount = g.Sum(r => r.Amount), Count = g.Count() })
            .SingleOrDefaultAsync(cancellationToken);

        var models = await db.Usage.AsNoTracking().Where(u => u.StartedAt >= since)
            .GroupBy(u => u.ModelId)
            .Select(g => new ModelActivity(g.Key, g.LongCount(), g.LongCount(u => u.Outcome == UsageOutcome.Failed), g.Sum(u => u.Cost)))
            .ToListAsync(cancellationToken);

        return new PlatformOverview(
            revenue,
            recent?.Amount ?? 0m,
            recent?.Count ?? 0,
            credits.Currency,
            models.Sum(m => m.Requests),
            models.Sum(m => m.FailedRequests),
            models.Sum(m => m.Spend),
            models.OrderByDescending(m => m.Requests).ThenByDescending(m => m.Spend).ThenBy(m => m.ModelId, StringComparer.Ordinal)
                .Take(Math.Clamp(topModels, 1, 100)).ToList());
    }
}
