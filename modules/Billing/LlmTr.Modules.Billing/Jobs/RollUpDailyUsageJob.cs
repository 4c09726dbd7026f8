using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Data;
using LlmTr.Modules.Billing.Usage;
using Microsoft.EntityFrameworkCore;

namespace LlmTr.Modules.Billing.Jobs;

/// <summary>
/// Rolls usage up per account, UTC day, key and model for the charts. Each run recomputes yesterday and today from the
/// rows, so a row written late (or a run missed) is folded in by the next run; running twice changes nothing.
/// </summary>
internal sealed class RollUpDailyUsageJob(IDbContextFactory<BillingDbContext> contexts, TimeProvider time) : IUsageRollUp
{
    public Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var from = UsageHistory.LiveFrom(time.GetUtcNow());
        return RollUpAsync(from, from.AddDays(1), cancellationToken);
    }

    /// <summary>
    /// Any range of days, for an operator (<c>usage roll-up</c>): days whose rows came too late for the hourly run, so
    /// their month's partition can be dropped. A day's totals are replaced only where it still has rows.
    /// </summary>
    public async Task<int> RollUpAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var start = UsageHistory.StartOf(from);
        var end = UsageHistory.EndOf(to);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Database.SetCommandTimeout(0); // an operator's range may span months of rows
        return await db.Database.ExecuteSqlAsync($"""
            INSERT INTO billing.daily_usage ("AccountId", "Day", "KeyId", "ModelId", "Requests", "PromptTokens", "CompletionTokens", "Cost")
            SELECT "AccountId", ("StartedAt" AT TIME ZONE 'UTC')::date, "KeyId", "ModelId", count(*), sum("PromptTokens"), sum("CompletionTokens"), sum("Cost")
            FROM billing.usage_records
            WHERE "StartedAt" >= {start} AND "StartedAt" < {end}
            GROUP BY 1, 2, 3, 4
            ON CONFLICT ("AccountId", "Day", "KeyId", "ModelId") DO UPDATE SET
              "Requests" = excluded."Requests",
              "PromptTokens" = excluded."PromptTokens",
              "CompletionTokens" = excluded."CompletionTokens",
              "Cost" = excluded."Cost"
            """, cancellationToken);
    }
}
