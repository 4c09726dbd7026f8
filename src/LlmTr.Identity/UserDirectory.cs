using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LlmTr.Identity;

/// <summary>Finding users by e-mail and naming them by id, for admin pages (which never touch a DbContext themselves).</summary>
public sealed class UserDirectory
{
    private readonly IDbContextFactory<LlmTrIdentityDbContext> contexts;
    private readonly ILookupNormalizer normalizer;

    internal UserDirectory(IDbContextFactory<LlmTrIdentityDbContext> contexts, ILookupNormalizer normalizer)
    {
        this.contexts = contexts;
        this.normalizer = normalizer;
    }

    /// <summary>Ids of users whose e-mail contains <paramref name="term"/> (case-insensitive), at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<string>> FindIdsByEmailAsync(string term, int limit, CancellationToken cancellationToken = default)
    {
        var normalized = normalizer.NormalizeEmail(term.Trim());
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking()
            .Where(u => u.NormalizedEmail!.Contains(normalized))
            .OrderBy(u => u.NormalizedEmail)
            .Select(u => u.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Each known user's e-mail by id; unknown ids are left out.</summary>
    public async Task<IReadOnlyDictionary<string, string>> EmailsAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking()
            .Where(u => userIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.Email ?? u.Id, cancellationToken);
    }
}
