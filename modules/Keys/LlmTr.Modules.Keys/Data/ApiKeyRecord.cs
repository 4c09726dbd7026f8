using LlmTr.Modules.Keys.Contracts;

namespace LlmTr.Modules.Keys.Data;

internal sealed class ApiKeyRecord
{
    public Guid Id { get; init; }

    /// <summary>The organisation the key belongs to and bills (a personal organisation's id is its user's).</summary>
    public required string AccountId { get; init; }

    /// <summary>The member who holds the key (its creator): it spends their budget and is revoked when they leave.</summary>
    public required string MemberUserId { get; init; }

    public required string Name { get; set; }

    /// <summary>HMAC-SHA256 of the raw key under the server secret; the raw key itself is never stored.</summary>
    public required byte[] Hash { get; init; }

    public required string Preview { get; init; }

    /// <summary>
    /// The first key of this key's rotation chain (its own id unless it replaced another): spend against the limits
    /// and the rate-limit window are counted under it, so a rotation replaces the secret without resetting either.
    /// </summary>
    public Guid LineageId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>The key's own requests-per-minute limit, or null for the installation's default.</summary>
    public int? RequestsPerMinute { get; set; }

    /// <summary>Exact model ids or prefix patterns the key may call; empty allows every model.</summary>
    public List<string> AllowedModels { get; set; } = [];

    /// <summary>Only models whose whole data path stays in Turkey.</summary>
    public bool TurkeyOnly { get; set; }

    /// <summary>Only models whose data path keeps nothing of the request's content.</summary>
    public bool NoRetention { get; set; }

    public decimal? SpendLimit { get; set; }

    public decimal? MonthlySpendLimit { get; set; }

    /// <summary>Who revoked the key (the owner or an admin), for the record.</summary>
    public string? RevokedBy { get; set; }

    public ApiKeyScope Scope => AllowedModels.Count == 0 && !TurkeyOnly && !NoRetention
        ? ApiKeyScope.Unrestricted
        : new ApiKeyScope(AllowedModels.ToArray(), TurkeyOnly, NoRetention);
}
