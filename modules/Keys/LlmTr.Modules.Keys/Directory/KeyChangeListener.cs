using LlmTr.Modules.Keys.Data;
using LlmTr.Persistence;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LlmTr.Modules.Keys.Directory;

/// <summary>A key created, revoked or changed on any host is reloaded here by its id within moments.</summary>
internal sealed class KeyChangeListener(KeyDirectory directory, NpgsqlDataSource dataSource, ILogger<KeyChangeListener> logger)
    : PostgresChannelListener(dataSource, KeysDbContext.ChangeChannel, logger)
{
    protected override TimeSpan ResyncInterval => TimeSpan.FromMinutes(5);

    protected override Task ResyncAsync(CancellationToken cancellationToken) => directory.ReloadAllAsync(cancellationToken);

    protected override Task OnNotificationAsync(string payload, CancellationToken cancellationToken) =>
        Guid.TryParse(payload, out var keyId) ? directory.ReloadAsync(keyId, cancellationToken)
        : payload.StartsWith(KeysDbContext.AccountPrefix, StringComparison.Ordinal) ? directory.ReloadAccountAsync(payload[KeysDbContext.AccountPrefix.Length..], cancellationToken)
        : ResyncAsync(cancellationToken);
}
