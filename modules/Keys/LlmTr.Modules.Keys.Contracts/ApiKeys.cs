namespace LlmTr.Modules.Keys.Contracts;

/// <summary>Managing a user's API keys. Raw keys exist only in <see cref="CreatedApiKey"/>, returned once.</summary>
public interface IApiKeys
{
    Task<CreateApiKeyResult> CreateAsync(string ownerUserId, NewApiKey request, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ApiKeySummary>> ListAsync(string ownerUserId, CancellationToken cancellationToken = default);

    /// <summary>False when the key is not the owner's (or does not exist): callers answer 404 either way.</summary>
    Task<bool> RevokeAsync(string ownerUserId, Guid keyId, CancellationToken cancellationToken = default);

    /// <summary>
    /// A new key with the old one's name and limits; the old key keeps working for <paramref name="grace"/> (zero: it
    /// stops now), then stops. Null when the key is not the owner's or is no longer usable.
    /// </summary>
    Task<CreateApiKeyResult?> RotateAsync(string ownerUserId, Guid keyId, TimeSpan grace, CancellationToken cancellationToken = default);
}

/// <param name="RequestsPerMinute">The key's own limit; null means the installation's default.</param>
public sealed record NewApiKey(string Name, DateTimeOffset? ExpiresAt = null, int? RequestsPerMinute = null);

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
    int? RequestsPerMinute = null);

/// <summary>Who is calling /v1, as established from a valid key: no database call on the hot path.</summary>
public sealed record ApiKeyIdentity(Guid KeyId, string OwnerUserId, string Name, int RequestsPerMinute, DateTimeOffset? ExpiresAt);

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

/// <summary>The authorization policy /v1 endpoints require: a valid API key in <c>Authorization: Bearer llmtr-…</c>.</summary>
public static class ApiKeyAuthorization
{
    public const string Policy = "llmtr-api-key";
    public const string KeyIdClaim = "llmtr:key_id";
}
