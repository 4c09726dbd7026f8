using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LlmTr.Modules.Billing.Health;

/// <summary>
/// Deployment health in one query over the usage rows of the window. The index on <c>StartedAt</c> carries every column
/// the query reads, so the window is an index range scan that never visits the table's pages (usage rows are only ever
/// appended, so the visibility map keeps up).
/// </summary>
/// <remarks>
/// An error is a failed request the deployment is answerable for: a provider's 4xx rejection of the request (other than
/// 429, the deployment turning traffic away) says the request was wrong, not that the deployment is unwell, so it counts as
/// a request and not as an error. The gateway's own refusals never reach a deployment, so their rows have none.
/// </remarks>
internal sealed class DeploymentStatistics(IDbContextFactory<BillingDbContext> contexts) : IDeploymentStatistics
{
    /// <summary>The one statement, with the window's start as <c>@since</c>.</summary>
    internal const string Sql = """
        SELECT "ModelId", "Deployment", count(*) AS "Requests",
          count(*) FILTER (WHERE e.failed) AS "Errors",
          percentile_cont(0.5) WITHIN GROUP (ORDER BY "UpstreamLatencyMs") AS "P50",
          percentile_cont(0.99) WITHIN GROUP (ORDER BY "UpstreamLatencyMs") AS "P99",
          (array_agg(coalesce("ErrorCode", 'http_' || "HttpStatus") ORDER BY "StartedAt" DESC) FILTER (WHERE e.failed))[1] AS "LastError",
          max("StartedAt") FILTER (WHERE e.failed) AS "LastErrorAt"
        FROM billing.usage_records
        CROSS JOIN LATERAL (SELECT "Outcome" = 'Failed' AND ("HttpStatus" NOT BETWEEN 400 AND 499 OR "HttpStatus" = 429) AS failed) AS e
        WHERE "StartedAt" >= @since AND "Deployment" IS NOT NULL
        GROUP BY "ModelId", "Deployment"
        ORDER BY "ModelId", "Deployment"
        """;

    public async Task<IReadOnlyList<DeploymentHealthRow>> SinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Database.SqlQueryRaw<Aggregate>(Sql, new NpgsqlParameter("since", since.ToUniversalTime())).ToListAsync(cancellationToken);
        return rows.ConvertAll(r => new DeploymentHealthRow(
            r.ModelId, r.Deployment, r.Requests, r.Errors, Milliseconds(r.P50), Milliseconds(r.P99), r.LastError, r.LastErrorAt));
    }

    private static TimeSpan? Milliseconds(double? value) => value is { } ms ? TimeSpan.FromMilliseconds(ms) : null;

    private sealed record Aggregate(
        string ModelId, string Deployment, long Requests, long Errors, double? P50, double? P99, string? LastError, DateTimeOffset? LastErrorAt);
}
