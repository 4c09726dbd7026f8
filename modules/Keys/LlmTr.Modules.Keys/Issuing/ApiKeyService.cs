using LlmTr.Modules.Keys.Contracts;
using LlmTr.Modules.Keys.Data;
using Microsoft.EntityFrameworkCore;

namespace LlmTr.Modules.Keys.Issuing;

internal sealed class ApiKeyService(IDbContextFactory<KeysDbContext> contexts, KeyHashSecret secret, TimeProvider time) : IApiKeys
{
    public async Task<CreateApiKeyResult> CreateAsync(string ownerUserId, NewApiKey request, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > 100)
        {
            errors[nameof(NewApiKey.Name)] = ["Give the key a name of 1 to 100 characters."];
        }

        if (request.ExpiresAt is { } expires && expires <= now)
        {
            errors[nameof(NewApiKey.ExpiresAt)] = ["The expiry must be in the future."];
        }

        if (request.RequestsPerMinute is < 1 or > 100_000)
        {
            errors[nameof(NewApiKey.RequestsPerMinute)] = ["The limit must be between 1 and 100,000 requests per minute."];
        }

        if (errors.Count > 0)
        {
            return new CreateApiKeyResult(null, errors);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var created = Issue(db, ownerUserId, name, request.ExpiresAt?.ToUniversalTime(), request.RequestsPerMinute, now);
        await db.SaveChangesAsync(cancellationToken);
        await db.NotifyChangedAsync(created.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CreateApiKeyResult(created, new Dictionary<string, string[]>());
    }

    public async Task<IReadOnlyList<ApiKeySummary>> ListAsync(string ownerUserId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ApiKeys.AsNoTracking()
            .Where(k => k.OwnerUserId == ownerUserId)
            .OrderByDescending(k => k.CreatedAt)
            .Select(k => new ApiKeySummary(k.Id, k.Name, k.Preview, k.CreatedAt, k.ExpiresAt, k.RevokedAt, k.LastUsedAt, k.RequestsPerMinute))
            .ToListAsync(cancellationToken);
    }

    public async Task<CreateApiKeyResult?> RotateAsync(string ownerUserId, Guid keyId, TimeSpan grace, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var old = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.OwnerUserId == ownerUserId && k.RevokedAt == null, cancellationToken);
        if (old is null || old.ExpiresAt <= now || grace < TimeSpan.Zero)
        {
            return null;
        }

        // One transaction: the replacement exists exactly when the old key's end is set. The old key ends after its
        // grace period, or sooner if it was going to expire anyway; the replacement keeps its name, limit and expiry.
        var created = Issue(db, ownerUserId, old.Name, old.ExpiresAt, old.RequestsPerMinute, now);
        var ends = now + grace;
        old.ExpiresAt = old.ExpiresAt is { } expires && expires < ends ? expires : ends;
        await db.SaveChangesAsync(cancellationToken);
        await db.NotifyChangedAsync(created.Id, cancellationToken);
        await db.NotifyChangedAsync(old.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CreateApiKeyResult(created, new Dictionary<string, string[]>());
    }

    public async Task<bool> RevokeAsync(string ownerUserId, Guid keyId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var owned = await db.ApiKeys.Where(k => k.Id == keyId && k.OwnerUserId == ownerUserId).AnyAsync(cancellationToken);
        if (!owned)
        {
            return false;
        }

        await db.ApiKeys.Where(k => k.Id == keyId && k.RevokedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(k => k.RevokedAt, now), cancellationToken);
        await db.NotifyChangedAsync(keyId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Adds a new key to the unit of work; the raw value leaves only in the returned record.</summary>
    private CreatedApiKey Issue(KeysDbContext db, string ownerUserId, string name, DateTimeOffset? expiresAt, int? requestsPerMinute, DateTimeOffset now)
    {
        var raw = ApiKeyFormat.NewRawKey();
        var record = new ApiKeyRecord
        {
            Id = Guid.CreateVersion7(now),
            OwnerUserId = ownerUserId,
            Name = name,
            Hash = ApiKeyFormat.Hash(raw, secret.Value),
            Preview = ApiKeyFormat.Preview(raw),
            CreatedAt = now,
            ExpiresAt = expiresAt,
            RequestsPerMinute = requestsPerMinute,
        };
        db.ApiKeys.Add(record);
        return new CreatedApiKey(record.Id, raw, record.Preview);
    }
}
