using LlmTr.Modules.Billing.Data;
using LlmTr.Modules.Billing.Usage;
using Microsoft.EntityFrameworkCore;

namespace LlmTr.Modules.Billing.Jobs;

/// <summary>
/// Rolls usage up per account, UTC day, key and model for the charts. Each run recomputes yesterday and today from the
/// rows, so a row written late (or a run missed) is folded in by the next run; running twice changes nothing.
/// </summary>
internal sealed class RollUpDailyUsageJob(IDbContextFactory<BillingDbContext> contexts, TimeProvider time)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var from = UsageHistory.LiveFrom(time.GetUtcNow());
        var start = UsageHistory.StartOf(from);
        var end = UsageHistory.StartOf(from.AddDays(2));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
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
