namespace LlmTr.Modules.Keys.Contracts;

/// <summary>Managing a user's API keys. Raw keys exist only in <see cref="CreatedApiKey"/>, returned once.</summary>
public interface IApiKeys
{
    Task<CreateApiKeyResult> CreateAsync(string ownerUserId, NewApiKey request, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ApiKeySummary>> ListAsync(string ownerUserId, CancellationToken cancellationToken = default);

    /// <summary>One of the owner's keys; null when it is not theirs (or does not exist): callers answer 404 either way.</summary>
    Task<ApiKeySummary?> FindAsync(string ownerUserId, Guid keyId, CancellationToken cancellationToken = default);

    /// <summary>False when the key is not the owner's (or does not exist): callers answer 404 either way.</summary>
    Task<bool> RevokeAsync(string ownerUserId, Guid keyId, CancellationToken cancellationToken = default);

    /// <summary>
    /// A new key with the old one's name and limits; the old key keeps working for <paramref name="grace"/> (zero: it
    /// stops now), then stops. Null when the key is not the owner's or is no longer usable.
    /// </summary>
    Task<CreateApiKeyResult?> RotateAsync(string ownerUserId, Guid keyId, TimeSpan grace, CancellationToken cancellationToken = default);
}

/// <summary>Every user's keys, for admins: they can see (never reveal: nothing here holds a raw key) and revoke any key.</summary>
public interface IApiKeyAdministration
{
    /// <param name="ownerUserIds">Only these owners' keys, or null for everyone's (newest first, at most <paramref name="limit"/>).</param>
    Task<IReadOnlyList<OwnedApiKey>> ListAsync(IReadOnlyCollection<string>? ownerUserIds, int limit, CancellationToken cancellationToken = default);

    /// <summary>False when no such key exists. Revoking a revoked key changes nothing and answers true.</summary>
    Task<bool> RevokeAsync(Guid keyId, string actorUserId, CancellationToken cancellationToken = default);

    /// <summary>Revokes every usable key of an owner (a disabled account); answers how many were revoked.</summary>
    Task<int> RevokeAllAsync(string ownerUserId, string actorUserId, CancellationToken cancellationToken = default);
}

public sealed record OwnedApiKey(string OwnerUserId, ApiKeySummary Key, string? RevokedBy);

/// <param name="RequestsPerMinute">The key's own limit; null means the installation's default.</param>
/// <param name="AllowedModels">Exact model ids or prefix patterns such as <c>openai/*</c>; null or empty allows every model.</param>
/// <param name="TurkeyOnly">Only models whose data path stays in Turkey.</param>
/// <param name="SpendLimit">Credits the key may spend in all, or null for no limit.</param>
/// <param name="MonthlySpendLimit">Credits the key may spend per calendar month (UTC), or null for no limit.</param>
/// <param name="NoRetention">Only models whose data path keeps nothing of the request's content (retention "none").</param>
public sealed record NewApiKey(
    string Name,
    DateTimeOffset? ExpiresAt = null,
    int? RequestsPerMinute = null,
    IReadOnlyList<string>? AllowedModels = null,
    bool TurkeyOnly = false,
    decimal? SpendLimit = null,
    decimal? MonthlySpendLimit = null,
    bool NoRetention = false);

/// <summary>Either the new key (its raw value shown once, then gone) or what was wrong with the request, per field.</summary>
public sealed record CreateApiKeyResult(CreatedApiKey? Key, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool Succeeded => Key is not null;
}

public sealed record CreatedApiKey(Guid Id, string RawKey, string Preview);

public sealed record ApiKeySummary(
    Guid Id,
    string Name,
    string Preview,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? LastUsedAt,
    int? RequestsPerMinute,
    ApiKeyScope Scope,
    decimal? SpendLimit,
    decimal? MonthlySpendLimit)
{
    private readonly Guid _lineageId;

    /// <summary>
    /// The first key of this key's rotation chain (its own id unless it replaced another): what the key has spent is
    /// kept under this id, so a rotated key and its replacement show, and are limited by, one spend.
    /// </summary>
    public Guid LineageId
    {
        get => _lineageId == Guid.Empty ? Id : _lineageId;
        init => _lineageId = value;
    }

    public ApiKeyState StateAt(DateTimeOffset now) =>
        RevokedAt is not null ? ApiKeyState.Revoked
        : ExpiresAt is { } expires && expires <= now ? ApiKeyState.Expired
        : ExpiresAt is not null ? ApiKeyState.ActiveUntil
        : ApiKeyState.Active;
}

public enum ApiKeyState
{
    Active,
    ActiveUntil,
    Expired,
    Revoked,
}

/// <summary>Who is calling /v1, as established from a valid key: no database call on the hot path.</summary>
public sealed record ApiKeyIdentity(
    Guid KeyId,
    string OwnerUserId,
    string Name,
    int RequestsPerMinute,
    DateTimeOffset? ExpiresAt,
    ApiKeyScope Scope,
    decimal? SpendLimit = null,
    decimal? MonthlySpendLimit = null)
{
    private readonly Guid _lineageId;

    /// <summary>
    /// The first key of this key's rotation chain (its own id unless it replaced another). Spend against the key's
    /// limits and its rate-limit window are counted under it: rotating a key replaces its secret, not its history,
    /// and during the grace period the old and the new key share one window.
    /// </summary>
    public Guid LineageId
    {
        get => _lineageId == Guid.Empty ? KeyId : _lineageId;
        init => _lineageId = value;
    }
}

/// <summary>Establishes who is calling from a raw key, from memory only.</summary>
public interface IApiKeyAuthenticator
{
    ApiKeyAuthentication Authenticate(ReadOnlySpan<char> rawKey);
}

public enum ApiKeyFailure
{
    Missing,
    Malformed,
    Unknown,
    Expired,
}

public sealed record ApiKeyAuthentication(ApiKeyIdentity? Identity, ApiKeyFailure? Failure)
{
    public static ApiKeyAuthentication Success(ApiKeyIdentity identity) => new(identity, null);

    public static ApiKeyAuthentication Fail(ApiKeyFailure failure) => new(null, failure);
}

/// <summary>
/// Endpoint metadata: the endpoint answers only a request with a valid API key (in <c>Authorization: Bearer llmtr-…</c>,
/// or Anthropic's <c>x-api-key</c>). Keys' own middleware on the /v1 branch reads it, checks the key and sets the caller's
/// <see cref="ApiKeyIdentity"/> as a request feature; no claims principal and no authorization policy are involved.
/// </summary>
public sealed class ApiKeyRequired
{
    public static ApiKeyRequired Instance { get; } = new();

    private ApiKeyRequired()
    {
    }
}
