using System.Runtime.CompilerServices;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LlmTr.Modules.Billing.Usage;

/// <summary>
/// Usage rows for pages and exports. Charts read the daily roll-up for older days and the rows themselves for the
/// last two days, so they are complete even before the hourly roll-up has caught up with yesterday, and still cover
/// days whose rows are past the retention period (<see cref="UsagePartitions"/>); lists and exports cannot.
/// </summary>
internal sealed class UsageHistory(IDbContextFactory<BillingDbContext> contexts, TimeProvider time, IOptions<BillingOptions> options) : IUsageHistory
{
    public DateOnly RawKeptFrom => UsageMonths.RawKeptFrom(time.GetUtcNow(), options.Value.UsageRetentionMonths);

    public async Task<UsagePage> QueryAsync(string accountId, UsageFilter filter, int skip, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = Filtered(db, accountId, filter);
        var total = await rows.CountAsync(cancellationToken);
        var page = await rows.OrderByDescending(u => u.StartedAt).ThenBy(u => u.RequestId)
            .Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500)).ToListAsync(cancellationToken);
        return new UsagePage(page.Select(ToContract).ToList(), total);
    }

    public async Task<UsageRow?> FindAsync(string accountId, string requestId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var id = requestId.Trim();
        var row = await db.Usage.AsNoTracking().FirstOrDefaultAsync(u => u.AccountId == accountId && u.RequestId == id, cancellationToken);
        return row is null ? null : ToContract(row);
    }

    public async IAsyncEnumerable<UsageRow> ExportAsync(string accountId, UsageFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = Filtered(db, accountId, filter).OrderByDescending(u => u.StartedAt).ThenBy(u => u.RequestId).AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            yield return ToContract(row);
        }
    }

    public async Task<IReadOnlyList<DailySpend>> DailySpendAsync(string accountId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var (rolled, live) = await SpendAsync(accountId, from, to, cancellationToken);
        return rolled.Concat(live)
            .GroupBy(s => s.Day)
            .Select(g => new DailySpend(g.Key, g.Sum(s => s.Cost), g.Sum(s => s.Requests)))
            .OrderBy(d => d.Day)
            .ToList();
    }

    public async Task<IReadOnlyList<ModelSpend>> SpendByModelAsync(string accountId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var (rolled, live) = await SpendAsync(accountId, from, to, cancellationToken);
        return rolled.Concat(live)
            .GroupBy(s => s.ModelId, StringComparer.Ordinal)
            .Select(g => new ModelSpend(g.Key, g.Sum(s => s.Cost), g.Sum(s => s.Requests)))
            .OrderByDescending(m => m.Cost)
            .ToList();
    }

    public async Task<IReadOnlyList<UsageActivity>> ActivityAsync(string accountId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var (rolled, live) = await SpendAsync(accountId, from, to, cancellationToken);
        return rolled.Concat(live)
            .Select(s => new UsageActivity(s.Day, s.KeyId, s.ModelId, s.Requests, s.PromptTokens, s.CompletionTokens, s.Cost))
            .OrderBy(a => a.Day)
            .ToList();
    }

    /// <summary>The first day whose spend is read from the rows themselves rather than the roll-up.</summary>
    public static DateOnly LiveFrom(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime).AddDays(-1);

    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The end of a UTC day (the next day's start); the calendar's last day ends at the latest instant there is.</summary>
    public static DateTimeOffset EndOf(DateOnly day) => day < DateOnly.MaxValue ? StartOf(day.AddDays(1)) : DateTimeOffset.MaxValue;

    private async Task<(List<DaySpend> Rolled, List<DaySpend> Live)> SpendAsync(string accountId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var liveFrom = LiveFrom(time.GetUtcNow());
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rolled = await db.DailyUsage.AsNoTracking()
            .Where(d => d.AccountId == accountId && d.Day >= from && d.Day <= to && d.Day < liveFrom)
            .Select(d => new DaySpend(d.Day, d.KeyId, d.ModelId, d.Cost, d.Requests, d.PromptTokens, d.CompletionTokens))
            .ToListAsync(cancellationToken);
        var start = StartOf(from > liveFrom ? from : liveFrom);
        var end = EndOf(to);
        var live = start >= end ? [] : await db.Database.SqlQuery<DaySpend>($"""
            SELECT ("StartedAt" AT TIME ZONE 'UTC')::date AS "Day", "KeyId", "ModelId", sum("Cost") AS "Cost", count(*) AS "Requests",
              sum("PromptTokens")::bigint AS "PromptTokens", sum("CompletionTokens")::bigint AS "CompletionTokens"
            FROM billing.usage_records
            WHERE "AccountId" = {accountId} AND "StartedAt" >= {start} AND "StartedAt" < {end}
            GROUP BY 1, 2, 3
            """).ToListAsync(cancellationToken);
        return (rolled, live);
    }

    internal static IQueryable<UsageRecord> Filtered(BillingDbContext db, string accountId, UsageFilter filter)
    {
        var rows = db.Usage.AsNoTracking().Where(u => u.AccountId == accountId);
        if (filter.KeyId is { } keyId)
        {
            rows = rows.Where(u => u.KeyId == keyId);
        }

        if (!string.IsNullOrWhiteSpace(filter.ModelId))
        {
            // PostgreSQL text cannot hold NUL, so no stored model id has one (and the database would refuse the parameter).
            rows = filter.ModelId.Contains('\0', StringComparison.Ordinal) ? rows.Where(_ => false) : rows.Where(u => u.ModelId == filter.ModelId);
        }

        if (filter.Outcome is { } outcome)
        {
            rows = rows.Where(u => u.Outcome == outcome);
        }

        if (filter.From is { } from)
        {
            var start = StartOf(from);
            rows = rows.Where(u => u.StartedAt >= start);
        }

        if (filter.To is { } to)
        {
            var end = EndOf(to);
            rows = rows.Where(u => u.StartedAt < end);
        }

        return rows;
    }

    private static UsageRow ToContract(UsageRecord u) => new(
        u.RequestId, u.KeyId, u.ModelId, u.StartedAt, u.LatencyMs, u.Outcome, u.HttpStatus, u.PromptTokens, u.CompletionTokens,
        u.CachedPromptTokens, u.ReasoningTokens, u.Images, u.AudioMinutes, u.Cost, u.Currency, u.ProcessedIn, u.Streamed, u.ErrorCode, u.ErrorMessage)
    {
        CacheWrite5mTokens = u.CacheWrite5mTokens,
        CacheWrite1hTokens = u.CacheWrite1hTokens,
        AudioPromptTokens = u.AudioPromptTokens,
        AudioCompletionTokens = u.AudioCompletionTokens,
        ImagePromptTokens = u.ImagePromptTokens,
        ImageCompletionTokens = u.ImageCompletionTokens,
        ImageVariant = u.ImageVariant,
        WebSearches = u.WebSearches,
        ToolCalls = u.ToolCalls,
    };

    internal sealed record DaySpend(DateOnly Day, Guid KeyId, string ModelId, decimal Cost, long Requests, long PromptTokens, long CompletionTokens);
}
