using Microsoft.EntityFrameworkCore;

namespace LlmTr.Identity.Audit;

/// <summary>Reading the audit log for the admin console: newest first, filtered, paged.</summary>
public sealed class AdminAuditLog
{
    private readonly IDbContextFactory<LlmTrIdentityDbContext> contexts;

    internal AdminAuditLog(IDbContextFactory<LlmTrIdentityDbContext> contexts) => this.contexts = contexts;

    public async Task<AdminAuditPage> QueryAsync(AdminAuditFilter filter, int skip, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.AdminAudit.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            query = query.Where(a => a.Action == filter.Action);
        }

        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            var pattern = $"%{EscapeLike(filter.Text.Trim())}%";
            query = query.Where(a => EF.Functions.ILike(a.Actor, pattern, "\\") || EF.Functions.ILike(a.Target, pattern, "\\"));
        }

        if (filter.From is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(a => a.At >= start);
        }

        if (filter.To is { } to)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(a => a.At < end);
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(a => a.Id).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 200))
            .Select(a => new AdminAuditEntry(a.Id, a.At, a.Actor, a.Action, a.Target, a.Details))
            .ToListAsync(cancellationToken);
        return new AdminAuditPage(rows, total);
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}

/// <param name="Text">Part of the actor or the target.</param>
/// <param name="From">First UTC day included.</param>
/// <param name="To">Last UTC day included.</param>
public sealed record AdminAuditFilter(string? Action = null, string? Text = null, DateOnly? From = null, DateOnly? To = null);

public sealed record AdminAuditEntry(long Id, DateTimeOffset At, string Actor, string Action, string Target, string? Details);

public sealed record AdminAuditPage(IReadOnlyList<AdminAuditEntry> Rows, int Total);
