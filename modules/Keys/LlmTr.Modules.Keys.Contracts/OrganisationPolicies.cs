using System.Security.Cryptography;
using System.Text;

namespace LlmTr.Modules.Keys.Contracts;

/// <summary>
/// One rule for every key and request of an organisation, enforced before any upstream call: only models hosted in
/// Turkey, only models that keep nothing, only some models or providers, and a ceiling on each key's requests per
/// minute. A key (or a request) may narrow it, never widen it: the policy is checked first, then the key's own scope.
/// </summary>
/// <param name="AllowedModels">Exact model ids or prefix patterns (<c>openai/*</c> for a provider); empty allows every model.</param>
/// <param name="MaxRequestsPerMinute">The most any key of the organisation may make per minute; null for no ceiling.</param>
public sealed record OrganisationPolicy(bool TurkeyOnly, bool NoRetention, IReadOnlyList<string> AllowedModels, int? MaxRequestsPerMinute)
{
    public const int MaxRequestsPerMinuteCeiling = 100_000;

    public static OrganisationPolicy None { get; } = new(false, false, [], null);

    public bool IsEmpty => !TurkeyOnly && !NoRetention && AllowedModels.Count == 0 && MaxRequestsPerMinute is null;

    /// <summary>Null when the policy allows the model; otherwise the message of a 403, naming the policy and its rule.</summary>
    public string? Denial(string modelId, bool hostedInTurkey, bool retainsNothing)
    {
        if (TurkeyOnly && !hostedInTurkey)
        {
            return $"Your organisation's policy 'residency: Turkey only' forbids '{modelId}', which processes data outside Turkey. "
                + "Use a model hosted in Turkey (GET /api/models?hosted_in=TR); an organisation owner or admin can change the policy.";
        }

        if (NoRetention && !retainsNothing)
        {
            return $"Your organisation's policy 'retention: none' forbids '{modelId}': a stop on its data path keeps request content. "
                + "Use a model that keeps nothing; an organisation owner or admin can change the policy.";
        }

        if (AllowedModels.Count > 0 && !AllowedModels.Any(pattern => ApiKeyScope.Matches(pattern, modelId)))
        {
            return $"Your organisation's policy 'allowed models' forbids '{modelId}': it allows {string.Join(", ", AllowedModels.Select(p => $"'{p}'"))}. "
                + "An organisation owner or admin can change the policy.";
        }

        return null;
    }

    /// <summary>The key's limit under this policy's ceiling.</summary>
    public int Cap(int requestsPerMinute) => MaxRequestsPerMinute is { } max ? Math.Min(max, requestsPerMinute) : requestsPerMinute;
}

/// <summary>What one member may spend in an organisation, through all of the keys they hold; null parts are unlimited.</summary>
public sealed record MemberBudget(decimal? SpendLimit, decimal? MonthlySpendLimit)
{
    public bool IsEmpty => SpendLimit is null && MonthlySpendLimit is null;

    /// <summary>A stable id for a member of an organisation (the same on every host, for ever): a name-based UUID of the pair.</summary>
    public static Guid SpendIdOf(string accountId, string userId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"llmtr-member-spend\n{accountId}\n{userId}"), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8: custom
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(hash[..16], bigEndian: true);
    }
}

/// <summary>An organisation's policy and member budgets: read by pages, changed by its owners and admins, applied on every host within moments.</summary>
public interface IKeyPolicies
{
    Task<OrganisationPolicy> PolicyAsync(string accountId, CancellationToken cancellationToken = default);

    /// <summary>Sets the policy (audited); per-field errors when it is not valid, and then nothing changes.</summary>
    Task<IReadOnlyDictionary<string, string[]>> SetPolicyAsync(string accountId, OrganisationPolicy policy, string actorUserId, CancellationToken cancellationToken = default);

    /// <summary>Each member's budget, by user id; members without one are not listed.</summary>
    Task<IReadOnlyDictionary<string, MemberBudget>> BudgetsAsync(string accountId, CancellationToken cancellationToken = default);

    /// <summary>Sets (or, with both limits null, clears) a member's budget (audited); per-field errors when not valid.</summary>
    Task<IReadOnlyDictionary<string, string[]>> SetBudgetAsync(string accountId, string userId, MemberBudget budget, string actorUserId, CancellationToken cancellationToken = default);
}

/// <summary>
/// The policy and member budget that apply to a member's requests made without a key of theirs (the playground), from
/// memory like key authentication.
/// </summary>
public interface IOrganisationRules
{
    /// <summary>An identity for the member's own requests in the organisation: its policy, the member's budget and spend id.</summary>
    ApiKeyIdentity ForMember(Guid keyId, string accountId, string userId, string name, int requestsPerMinute);
}
