using System.Collections.Concurrent;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Modules.Keys.Data;
using LlmTr.Modules.Keys.Issuing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LlmTr.Modules.Keys.Directory;

/// <summary>
/// Every usable key of the installation by hash, in memory: authenticating a request costs a hash and a lookup, never
/// a database call, and an unknown key (a flood of guesses included) never reaches the database either.
/// </summary>
internal sealed class KeyDirectory(IDbContextFactory<KeysDbContext> contexts, KeyHashSecret secret, TimeProvider time, IOptions<KeysOptions> options)
    : IApiKeyAuthenticator
{
    private readonly ConcurrentDictionary<string, CachedKey> _byHash = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, string> _hashById = new();

    public ApiKeyAuthentication Authenticate(ReadOnlySpan<char> rawKey)
    {
        if (!ApiKeyFormat.IsWellFormed(rawKey))
        {
            return ApiKeyAuthentication.Fail(ApiKeyFailure.Malformed);
        }

        // No secret is ever compared: the key is hashed under the server's secret and the hash looked up. Whatever timing
        // the lookup shows depends on the hash of the caller's guess, which no caller can compute without the secret.
        if (!_byHash.TryGetValue(Convert.ToBase64String(ApiKeyFormat.Hash(rawKey, secret.Value)), out var key))
        {
            return ApiKeyAuthentication.Fail(ApiKeyFailure.Unknown);
        }

        return key.ExpiresAt is { } expires && expires <= time.GetUtcNow()
            ? ApiKeyAuthentication.Fail(ApiKeyFailure.Expired)
            : ApiKeyAuthentication.Success(key.Identity);
    }

    public async Task ReloadAllAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var usable = await db.ApiKeys.AsNoTracking().Where(k => k.RevokedAt == null).ToListAsync(cancellationToken);
        var seen = usable.Select(Put).ToHashSet();
        foreach (var stale in _hashById.Keys.Where(id => !seen.Contains(id)))
        {
            Remove(stale);
        }
    }

    public async Task ReloadAsync(Guid keyId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == keyId, cancellationToken);
        if (key is null || key.RevokedAt is not null)
        {
            Remove(keyId);
        }
        else
        {
            Put(key);
        }
    }

    private Guid Put(ApiKeyRecord key)
    {
        var hash = Convert.ToBase64String(key.Hash);
        _byHash[hash] = new CachedKey(
            new ApiKeyIdentity(
                key.Id, key.OwnerUserId, key.Name, key.RequestsPerMinute ?? options.Value.DefaultRequestsPerMinute, key.ExpiresAt,
                key.Scope, key.SpendLimit, key.MonthlySpendLimit)
            {
                LineageId = key.LineageId,
            },
            key.ExpiresAt);
        _hashById[key.Id] = hash;
        return key.Id;
    }

    private void Remove(Guid keyId)
    {
        if (_hashById.TryRemove(keyId, out var hash))
        {
            _byHash.TryRemove(hash, out _);
        }
    }

    private sealed record CachedKey(ApiKeyIdentity Identity, DateTimeOffset? ExpiresAt);
}
