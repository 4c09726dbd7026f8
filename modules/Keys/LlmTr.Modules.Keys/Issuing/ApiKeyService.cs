using LlmTr.Identity.Organisations;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Modules.Keys.Data;
using LlmTr.SharedKernel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace LlmTr.Modules.Keys.Issuing;

internal sealed class ApiKeyService(
    IDbContextFactory<KeysDbContext> contexts, KeyHashSecret secret, IAdminAudit audit, IOrganisationAudit organisationAudit, TimeProvider time)
    : IApiKeys, IApiKeyAdministration
{
    public async Task<CreateApiKeyResult> CreateAsync(KeyHolder holder, NewApiKey request, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        request = request with { Name = request.Name?.Trim() ?? "", AllowedModels = NewApiKeyValidation.Normalize(request.AllowedModels) };
        var errors = NewApiKeyValidation.Problems(request, now);
        if (errors.Count > 0)
        {
            return new CreateApiKeyResult(null, errors);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var created = Issue(db, holder, request with { ExpiresAt = request.ExpiresAt?.ToUniversalTime() }, now);
        await db.SaveChangesAsync(cancellationToken);
        await db.NotifyChangedAsync(created.Id, cancellationToken);
        await AuditAsync(holder, OrganisationActions.KeyCreated, created.Id, request.Name, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CreateApiKeyResult(created, new Dictionary<string, string[]>());
    }

    public async Task<IReadOnlyList<ApiKeySummary>> ListAsync(KeyHolder holder, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var keys = await db.ApiKeys.AsNoTracking()
            .Where(HeldBy(holder))
            .OrderByDescending(k => k.CreatedAt)
            .ToListAsync(cancellationToken);
        return keys.Select(Summarize).ToList();
    }

    public async Task<ApiKeySummary?> FindAsync(KeyHolder holder, Guid keyId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.AsNoTracking().Where(HeldBy(holder)).SingleOrDefaultAsync(k => k.Id == keyId, cancellationToken);
        return key is null ? null : Summarize(key);
    }

    public async Task<CreateApiKeyResult?> RotateAsync(KeyHolder holder, Guid keyId, TimeSpan grace, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var old = await db.ApiKeys.Where(HeldBy(holder)).SingleOrDefaultAsync(k => k.Id == keyId && k.RevokedAt == null, cancellationToken);
        if (old is null || old.ExpiresAt <= now || grace < TimeSpan.Zero)
        {
            return null;
        }

        // One transaction: the replacement exists exactly when the old key's end is set. The old key ends after its
        // grace period, or sooner if it was going to expire anyway; the replacement keeps its name, limits, scope and expiry.
        // The replacement stays with the old key's holder, whoever rotates it (an admin may rotate a member's key).
        var created = Issue(db, holder with { UserId = old.MemberUserId }, SettingsOf(old), now, old.LineageId);
        var ends = now + grace;
        old.ExpiresAt = old.ExpiresAt is { } expires && expires < ends ? expires : ends;
        await db.SaveChangesAsync(cancellationToken);
        await db.NotifyChangedAsync(created.Id, cancellationToken);
        await db.NotifyChangedAsync(old.Id, cancellationToken);
        await AuditAsync(holder, OrganisationActions.KeyRotated, old.Id, $"{old.Name} → {created.Id}", transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CreateApiKeyResult(created, new Dictionary<string, string[]>());
    }

    public async Task<bool> RevokeAsync(KeyHolder holder, Guid keyId, CancellationToken cancellationToken = default)
    {
        var held = HeldBy(holder);
        return await RevokeWhereAsync(k => k.Id == keyId, holder.UserId, cancellationToken, within: held,
            organisationAuditAs: revoked => revoked == 0 ? null : new OrganisationAuditEvent(holder.AccountId, holder.UserId, OrganisationActions.KeyRevoked, $"key:{keyId}")) is not null;
    }

    async Task<IReadOnlyList<OwnedApiKey>> IApiKeyAdministration.ListAsync(IReadOnlyCollection<string>? userIds, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.ApiKeys.AsNoTracking();
        if (userIds is not null)
        {
            query = query.Where(k => userIds.Contains(k.MemberUserId));
        }

        var keys = await query.OrderByDescending(k => k.CreatedAt).Take(Math.Clamp(limit, 1, 1000)).ToListAsync(cancellationToken);
        return keys.Select(k => new OwnedApiKey(k.AccountId, Summarize(k), k.RevokedBy)).ToList();
    }

    async Task<bool> IApiKeyAdministration.RevokeAsync(Guid keyId, string actorUserId, CancellationToken cancellationToken) =>
        await RevokeWhereAsync(k => k.Id == keyId, actorUserId, cancellationToken,
            revoked => new AdminAction(actorUserId, AdminActions.KeyRevoked, $"key:{keyId}", revoked == 0 ? "already revoked" : null)) is not null;

    public async Task<int> RevokeAllAsync(string userId, string actorUserId, CancellationToken cancellationToken = default) =>
        await RevokeWhereAsync(k => k.MemberUserId == userId, actorUserId, cancellationToken,
            revoked => new AdminAction(actorUserId, AdminActions.KeyRevoked, $"user:{userId}",
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"every key of the user: {revoked} revoked"))) ?? 0;

    public async Task<int> RevokeMemberAsync(string accountId, string userId, string actorUserId, CancellationToken cancellationToken = default) =>
        await RevokeWhereAsync(k => k.AccountId == accountId && k.MemberUserId == userId, actorUserId, cancellationToken,
            organisationAuditAs: revoked => revoked == 0 ? null : new OrganisationAuditEvent(accountId, actorUserId, OrganisationActions.KeyRevoked, $"member:{userId}",
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"every key of the member: {revoked} revoked"))) ?? 0;

    /// <summary>
    /// Revokes the matching keys that are still usable and tells every host; null when nothing matched at all. An admin's
    /// revocation (<paramref name="auditAs"/>, given the number revoked) and an organisation's (<paramref name="organisationAuditAs"/>)
    /// are audited in the same transaction.
    /// </summary>
    private async Task<int?> RevokeWhereAsync(
        System.Linq.Expressions.Expression<Func<ApiKeyRecord, bool>> match,
        string actorUserId,
        CancellationToken cancellationToken,
        Func<int, AdminAction>? auditAs = null,
        System.Linq.Expressions.Expression<Func<ApiKeyRecord, bool>>? within = null,
        Func<int, OrganisationAuditEvent?>? organisationAuditAs = null)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var candidates = within is null ? db.ApiKeys.Where(match) : db.ApiKeys.Where(within).Where(match);
        var matching = await candidates.Select(k => new { k.Id, k.RevokedAt }).ToListAsync(cancellationToken);
        if (matching.Count == 0)
        {
            return null;
        }

        var usable = matching.Where(k => k.RevokedAt is null).Select(k => k.Id).ToList();
        await db.ApiKeys.Where(k => usable.Contains(k.Id))
            .ExecuteUpdateAsync(set => set.SetProperty(k => k.RevokedAt, now).SetProperty(k => k.RevokedBy, actorUserId), cancellationToken);
        foreach (var id in usable)
        {
            await db.NotifyChangedAsync(id, cancellationToken);
        }

        if (auditAs is not null)
        {
            await audit.RecordAsync(auditAs(usable.Count), transaction.GetDbTransaction(), cancellationToken);
        }

        if (organisationAuditAs?.Invoke(usable.Count) is { } entry)
        {
            await organisationAudit.RecordAsync(entry, transaction.GetDbTransaction(), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return usable.Count;
    }

    private static NewApiKey SettingsOf(ApiKeyRecord key) =>
        new(key.Name, key.ExpiresAt, key.RequestsPerMinute, key.AllowedModels, key.TurkeyOnly, key.SpendLimit, key.MonthlySpendLimit, key.NoRetention);

    private static ApiKeySummary Summarize(ApiKeyRecord k) =>
        new(k.Id, k.Name, k.Preview, k.CreatedAt, k.ExpiresAt, k.RevokedAt, k.LastUsedAt, k.RequestsPerMinute, k.Scope, k.SpendLimit, k.MonthlySpendLimit)
        {
            LineageId = k.LineageId,
            MemberUserId = k.MemberUserId,
        };

    /// <summary>The keys a holder may see and manage: the organisation's, and of those only their own unless they manage all.</summary>
    private static System.Linq.Expressions.Expression<Func<ApiKeyRecord, bool>> HeldBy(KeyHolder holder)
    {
        var (accountId, userId) = (holder.AccountId, holder.UserId);
        return holder.ManagesAllKeys
            ? k => k.AccountId == accountId
            : k => k.AccountId == accountId && k.MemberUserId == userId;
    }

    private Task AuditAsync(KeyHolder holder, string action, Guid keyId, string? details, IDbContextTransaction transaction, CancellationToken cancellationToken) =>
        organisationAudit.RecordAsync(new OrganisationAuditEvent(holder.AccountId, holder.UserId, action, $"key:{keyId}", details), transaction.GetDbTransaction(), cancellationToken);

    /// <summary>Adds a new key to the unit of work; the raw value leaves only in the returned record.</summary>
    /// <param name="lineageId">The rotated key's lineage when this key replaces it; null for a new lineage.</param>
    private CreatedApiKey Issue(KeysDbContext db, KeyHolder holder, NewApiKey settings, DateTimeOffset now, Guid? lineageId = null)
    {
        var raw = ApiKeyFormat.NewRawKey();
        var id = Guid.CreateVersion7(now);
        var record = new ApiKeyRecord
        {
            Id = id,
            LineageId = lineageId ?? id,
            AccountId = holder.AccountId,
            MemberUserId = holder.UserId,
            Name = settings.Name,
            Hash = ApiKeyFormat.Hash(raw, secret.Value),
            Preview = ApiKeyFormat.Preview(raw),
            CreatedAt = now,
            ExpiresAt = settings.ExpiresAt,
            RequestsPerMinute = settings.RequestsPerMinute,
            AllowedModels = [.. settings.AllowedModels ?? []],
            TurkeyOnly = settings.TurkeyOnly,
            NoRetention = settings.NoRetention,
            SpendLimit = settings.SpendLimit,
            MonthlySpendLimit = settings.MonthlySpendLimit,
        };
        db.ApiKeys.Add(record);
        return new CreatedApiKey(record.Id, raw, record.Preview);
    }
}
