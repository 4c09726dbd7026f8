using LlmTr.Modules.Catalog.Credentials;
using LlmTr.Modules.Catalog.Data;
using LlmTr.Persistence;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LlmTr.Modules.Catalog.Snapshot;

/// <summary>
/// Loads the catalog before the host serves, then reloads it whenever any host changes it; the stored provider
/// credentials follow each reload (they are recorded as catalog changes too).
/// </summary>
internal sealed class CatalogChangeListener(
    CatalogSnapshotStore store, ProviderCredentialStore credentials, NpgsqlDataSource dataSource, ILogger<CatalogChangeListener> logger)
    : PostgresChannelListener(dataSource, CatalogDbContext.ChangeChannel, logger)
{
    protected override async Task ResyncAsync(CancellationToken cancellationToken)
    {
        await store.RefreshAsync(cancellationToken);
        await credentials.RefreshAsync(store.Current.Version, cancellationToken);
    }
}
