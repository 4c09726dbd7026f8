namespace LlmTr.Modules.Keys.Data;

internal sealed class ApiKeyRecord
{
    public Guid Id { get; init; }

    public required string OwnerUserId { get; init; }

    public required string Name { get; set; }

    /// <summary>HMAC-SHA256 of the raw key under the server secret; the raw key itself is never stored.</summary>
    public required byte[] Hash { get; init; }

    public required string Preview { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>The key's own requests-per-minute limit, or null for the installation's default.</summary>
    public int? RequestsPerMinute { get; set; }
}
