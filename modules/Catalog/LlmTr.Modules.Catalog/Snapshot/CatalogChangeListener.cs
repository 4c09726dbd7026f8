using LlmTr.Modules.Catalog.Data;
using LlmTr.Persistence;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LlmTr.Modules.Catalog.Snapshot;

/// <summary>Loads the catalog before the host serves, then reloads it whenever any host changes it.</summary>
internal sealed class CatalogChangeListener(CatalogSnapshotStore store, NpgsqlDataSource dataSource, ILogger<CatalogChangeListener> logger)
    : PostgresChannelListener(dataSource, CatalogDbContext.ChangeChannel, logger)
{
    protected override Task ResyncAsync(CancellationToken cancellationToken) => store.RefreshAsync(cancellationToken);
}
