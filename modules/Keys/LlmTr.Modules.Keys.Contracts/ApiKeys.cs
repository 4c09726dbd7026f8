namespace LlmTr.Modules.Keys.Contracts;

/// <summary>
/// Whose keys a call is about: an organisation (the account that pays; a personal organisation's id is its user's) and
/// the member acting. A member sees and manages their own keys in the organisation; one who manages the organisation's
/// keys (<paramref name="ManagesAllKeys"/>: owners and admins) sees and revokes every key of it.
/// </summary>
public readonly record struct KeyHolder(string AccountId, string UserId, bool ManagesAllKeys)
{
    /// <summary>The user's personal organisation, where the user is the owner.</summary>
    public static KeyHolder Personal(string userId) => new(userId, userId, true);

    /// <summary>Every key of the organisation, to name them in reports; never to create keys with (it names no member).</summary>
    public static KeyHolder Reader(string accountId) => new(accountId, "", true);
}

/// <summary>Managing an organisation's API keys. Raw keys exist only in <see cref="CreatedApiKey"/>, returned once.</summary>
public interface IApiKeys
{
    /// <summary>A key of the organisation, held by the acting member (whose budget it spends).</summary>
    Task<CreateApiKeyResult> CreateAsync(KeyHolder holder, NewApiKey request, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ApiKeySummary>> ListAsync(KeyHolder holder, CancellationToken cancellationToken = default);

    /// <summary>One of the holder's keys; null when it is not theirs to see (or does not exist): callers answer 404 either way.</summary>
    Task<ApiKeySummary?> FindAsync(KeyHolder holder, Guid keyId, CancellationToken cancellationToken = default);

    /// <summary>False when the key is not the holder's (or does not exist): callers answer 404 either way.</summary>
    Task<bool> RevokeAsync(KeyHolder holder, Guid keyId, CancellationToken cancellationToken = default);

    /// <summary>
    /// A new key with the old one's name and limits; the old key keeps working for <paramref name="grace"/> (zero: it
    /// stops now), then stops. Null when the key is not the holder's or is no longer usable.
    /// </summary>
    Task<CreateApiKeyResult?> RotateAsync(KeyHolder holder, Guid keyId, TimeSpan grace, CancellationToken cancellationToken = default);
}

/// <summary>The calls of <see cref="IApiKeys"/> on a user's personal organisation.</summary>
public static class PersonalApiKeys
{
    public static Task<CreateApiKeyResult> CreateAsync(this IApiKeys keys, string userId, NewApiKey request, CancellationToken cancellationToken = default) =>
        keys.CreateAsync(KeyHolder.Personal(userId), request, cancellationToken);

    public static Task<IReadOnlyList<ApiKeySummary>> ListAsync(this IApiKeys keys, string userId, CancellationToken cancellationToken = default) =>
        keys.ListAsync(KeyHolder.Personal(userId), cancellationToken);

    public static Task<ApiKeySummary?> FindAsync(this IApiKeys keys, string userId, Guid keyId, CancellationToken cancellationToken = default) =>
        keys.FindAsync(KeyHolder.Personal(userId), keyId, cancellationToken);

    public static Task<bool> RevokeAsync(this IApiKeys keys, string userId, Guid keyId, CancellationToken cancellationToken = default) =>
        keys.RevokeAsync(KeyHolder.Personal(userId), keyId, cancellationToken);

    public static Task<CreateApiKeyResult?> RotateAsync(this IApiKeys keys, string userId, Guid keyId, TimeSpan grace, CancellationToken cancellationToken = default) =>
        keys.RotateAsync(KeyHolder.Personal(userId), keyId, grace, cancellationToken);
}

/// <summary>Every user's keys, for admins: they can see (never reveal: nothing here holds a raw key) and revoke any key.</summary>
public interface IApiKeyAdministration
{
    /// <param name="userIds">Only the keys these users hold (in any organisation), or null for everyone's (newest first, at most <paramref name="limit"/>).</param>
    Task<IReadOnlyList<OwnedApiKey>> ListAsync(IReadOnlyCollection<string>? userIds, int limit, CancellationToken cancellationToken = default);

    /// <summary>False when no such key exists. Revoking a revoked key changes nothing and answers true.</summary>
    Task<bool> RevokeAsync(Guid keyId, string actorUserId, CancellationToken cancellationToken = default);

    /// <summary>Revokes every usable key a user holds, in every organisation (a disabled or deleted account); answers how many were revoked.</summary>
    Task<int> RevokeAllAsync(string userId, string actorUserId, CancellationToken cancellationToken = default);

    /// <summary>Revokes every usable key a member holds in one organisation (the member left or was removed); answers how many.</summary>
    Task<int> RevokeMemberAsync(string accountId, string userId, string actorUserId, CancellationToken cancellationToken = default);
}

/// <param name="AccountId">The organisation the key belongs to (a personal organisation's id is its user's).</param>
public sealed record OwnedApiKey(string AccountId, ApiKeySummary Key, string? RevokedBy);

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

    /// <summary>The member who holds the key (its creator): the key spends that member's budget and leaves with them.</summary>
    public string MemberUserId { get; init; } = "";

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
/// <param name="AccountId">The organisation that pays for the key's requests (a personal organisation's id is its user's).</param>
/// <param name="RequestsPerMinute">The key's limit, already capped by the organisation's policy.</param>
public sealed record ApiKeyIdentity(
    Guid KeyId,
    string AccountId,
    string Name,
    int RequestsPerMinute,
    DateTimeOffset? ExpiresAt,
    ApiKeyScope Scope,
    decimal? SpendLimit = null,
    decimal? MonthlySpendLimit = null)
{
    private readonly Guid _lineageId;
    private readonly string? _memberUserId;

    /// <summary>The member who holds the key; in a personal organisation, its user.</summary>
    public string MemberUserId
    {
        get => _memberUserId ?? AccountId;
        init => _memberUserId = value;
    }

    /// <summary>The organisation's policy, checked before the key's own scope on every request; null when it sets nothing.</summary>
    public OrganisationPolicy? Policy { get; init; }

    /// <summary>The member's budget in the organisation (total and monthly), reserved in flight like the balance; null when none is set.</summary>
    public MemberBudget? MemberBudget { get; init; }

    /// <summary>
    /// The id the member's spend in the organisation is counted under (see <see cref="MemberBudget.SpendIdOf"/>), so a
    /// budget set later already knows the month's spend; empty in a personal organisation, which has no member budgets.
    /// </summary>
    public Guid MemberSpendId { get; init; }

    /// <summary>Whether the organisation's policy and the key's scope both allow the model (see <see cref="Denial"/>).</summary>
    public bool Permits(string modelId, bool hostedInTurkey, bool retainsNothing) => Denial(modelId, hostedInTurkey, retainsNothing) is null;

    /// <summary>Why the model may not be called with this key (the organisation's policy first, naming it), or null.</summary>
    public string? Denial(string modelId, bool hostedInTurkey, bool retainsNothing) =>
        Policy?.Denial(modelId, hostedInTurkey, retainsNothing) ?? Scope.Denial(modelId, hostedInTurkey, retainsNothing);

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
