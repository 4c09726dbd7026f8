using System.Collections.Frozen;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Catalog.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace LlmTr.Modules.Catalog.Credentials;

/// <summary>
/// Every account's credential, decrypted once and held in memory: the gateway asks on every upstream call, and the
/// answer is one dictionary lookup (no database, no allocation). The stored credentials are read again whenever the
/// catalog's version moves (the catalog's change listener calls <see cref="RefreshAsync"/> after each reload, so a
/// credential set on any host reaches this one with the catalog change that recorded it); configuration
/// (<c>Providers:{account}:ApiKey</c>) is merged over them, and wins, whenever either changes.
/// </summary>
internal sealed partial class ProviderCredentialStore : IProviderCredentials, IDisposable
{
    private readonly IConfiguration _configuration;
    private readonly IDbContextFactory<CatalogDbContext> _contexts;
    private readonly CredentialProtection _protection;
    private readonly ILogger<ProviderCredentialStore> _logger;
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private readonly Lock _publishing = new();
    private readonly IDisposable _configurationChanges;
    private FrozenDictionary<string, string> _stored = FrozenDictionary<string, string>.Empty;
    private volatile FrozenDictionary<string, string> _current = FrozenDictionary<string, string>.Empty;
    private long _version = -1;

    public ProviderCredentialStore(
        IConfiguration configuration, IDbContextFactory<CatalogDbContext> contexts, CredentialProtection protection, ILogger<ProviderCredentialStore> logger)
    {
        _configuration = configuration;
        _contexts = contexts;
        _protection = protection;
        _logger = logger;
        Publish();
        _configurationChanges = ChangeToken.OnChange(configuration.GetReloadToken, Publish);
    }

    public string? For(string accountId) => _current.TryGetValue(accountId, out var credential) ? credential : null;

    /// <summary>The credential configuration gives the account, which wins over a stored one; null without one.</summary>
    public static string? Configured(IConfiguration configuration, string accountId) =>
        configuration[$"Providers:{accountId}:ApiKey"] is { Length: > 0 } key ? key : null;

    /// <summary>Reads the stored credentials again when the catalog moved past the version they were read at.</summary>
    public async Task RefreshAsync(long catalogVersion, CancellationToken cancellationToken)
    {
        await _reloading.WaitAsync(cancellationToken);
        try
        {
            if (catalogVersion == _version)
            {
                return;
            }

            await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
            var rows = await db.Accounts.AsNoTracking()
                .Where(a => a.ProtectedCredential != null)
                .Select(a => new { a.Id, a.ProtectedCredential })
                .ToListAsync(cancellationToken);
            var stored = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var row in rows)
            {
                if (_protection.TryUnprotect(row.ProtectedCredential!) is { } credential)
                {
                    stored[row.Id] = credential;
                }
                else
                {
                    LogUnreadable(_logger, row.Id);
                }
            }

            _stored = stored.ToFrozenDictionary(StringComparer.Ordinal);
            _version = catalogVersion;
            Publish();
        }
        finally
        {
            _reloading.Release();
        }
    }

    private void Publish()
    {
        lock (_publishing)
        {
            var merged = new Dictionary<string, string>(_stored, StringComparer.Ordinal);
            foreach (var provider in _configuration.GetSection("Providers").GetChildren())
            {
                if (provider["ApiKey"] is { Length: > 0 } key)
                {
                    merged[provider.Key] = key;
                }
            }

            _current = merged.ToFrozenDictionary(StringComparer.Ordinal);
        }
    }

    public void Dispose()
    {
        _configurationChanges.Dispose();
        _reloading.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The stored credential of provider account {AccountId} cannot be decrypted (the key ring that encrypted it is gone or was replaced): "
        + "the account has no credential until it is set again in the admin console")]
    private static partial void LogUnreadable(ILogger logger, string accountId);
}
