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
    : IApiKeyAuthenticator, IOrganisationRules
{
    private readonly ConcurrentDictionary<string, CachedKey> _byHash = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, string> _hashById = new();

    /// <summary>Each organisation's policy and member budgets as last read, folded into its keys' identities when they are built.</summary>
    private readonly ConcurrentDictionary<string, AccountRules> _rules = new(StringComparer.Ordinal);

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
        var policies = await db.Policies.AsNoTracking().ToListAsync(cancellationToken);
        var budgets = await db.MemberBudgets.AsNoTracking().ToListAsync(cancellationToken);
        var rules = RulesOf(policies, budgets);
        foreach (var stale in _rules.Keys.Where(id => !rules.ContainsKey(id)))
        {
            _rules.TryRemove(stale, out _);
        }

        foreach (var (accountId, accountRules) in rules)
        {
            _rules[accountId] = accountRules;
        }

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

    /// <summary>An organisation's policy or member budgets changed: read them again and rebuild every usable key of it.</summary>
    public async Task ReloadAccountAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var policies = await db.Policies.AsNoTracking().Where(p => p.AccountId == accountId).ToListAsync(cancellationToken);
        var budgets = await db.MemberBudgets.AsNoTracking().Where(b => b.AccountId == accountId).ToListAsync(cancellationToken);
        if (RulesOf(policies, budgets).TryGetValue(accountId, out var rules))
        {
            _rules[accountId] = rules;
        }
        else
        {
            _rules.TryRemove(accountId, out _);
        }

        var usable = await db.ApiKeys.AsNoTracking().Where(k => k.AccountId == accountId && k.RevokedAt == null).ToListAsync(cancellationToken);
        foreach (var key in usable)
        {
            Put(key);
        }
    }

    public ApiKeyIdentity ForMember(Guid keyId, string accountId, string userId, string name, int requestsPerMinute)
    {
        var rules = _rules.GetValueOrDefault(accountId);
        var personal = accountId == userId;
        return new ApiKeyIdentity(keyId, accountId, name, rules?.Policy?.Cap(requestsPerMinute) ?? requestsPerMinute, null, ApiKeyScope.Unrestricted)
        {
            MemberUserId = userId,
            Policy = rules?.Policy,
            MemberBudget = personal ? null : rules?.Budgets.GetValueOrDefault(userId),
            MemberSpendId = personal ? Guid.Empty : MemberBudget.SpendIdOf(accountId, userId),
        };
    }

    private Guid Put(ApiKeyRecord key)
    {
        var hash = Convert.ToBase64String(key.Hash);
        var rules = _rules.GetValueOrDefault(key.AccountId);
        var requestsPerMinute = key.RequestsPerMinute ?? options.Value.DefaultRequestsPerMinute;
        var personal = key.AccountId == key.MemberUserId;
        _byHash[hash] = new CachedKey(
            new ApiKeyIdentity(
                key.Id, key.AccountId, key.Name, rules?.Policy?.Cap(requestsPerMinute) ?? requestsPerMinute, key.ExpiresAt,
                key.Scope, key.SpendLimit, key.MonthlySpendLimit)
            {
                LineageId = key.LineageId,
                MemberUserId = key.MemberUserId,
                Policy = rules?.Policy,
                MemberBudget = personal ? null : rules?.Budgets.GetValueOrDefault(key.MemberUserId),
                MemberSpendId = personal ? Guid.Empty : MemberBudget.SpendIdOf(key.AccountId, key.MemberUserId),
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

    /// <summary>Each organisation with a policy or a member budget: its policy (null when it sets nothing) and budgets by member.</summary>
    private static Dictionary<string, AccountRules> RulesOf(List<OrganisationPolicyRecord> policies, List<MemberBudgetRecord> budgets)
    {
        var policyOf = policies.ToDictionary(p => p.AccountId, Policies.KeyPolicyService.ToContract, StringComparer.Ordinal);
        var budgetsOf = budgets.ToLookup(b => b.AccountId, StringComparer.Ordinal);
        return policyOf.Keys.Union(budgetsOf.Select(g => g.Key), StringComparer.Ordinal).ToDictionary(
            accountId => accountId,
            accountId => new AccountRules(
                policyOf.TryGetValue(accountId, out var policy) && !policy.IsEmpty ? policy : null,
                budgetsOf[accountId].ToDictionary(b => b.UserId, b => new MemberBudget(b.SpendLimit, b.MonthlySpendLimit), StringComparer.Ordinal)),
            StringComparer.Ordinal);
    }

    private sealed record CachedKey(ApiKeyIdentity Identity, DateTimeOffset? ExpiresAt);

    private sealed record AccountRules(OrganisationPolicy? Policy, IReadOnlyDictionary<string, MemberBudget> Budgets);
}
