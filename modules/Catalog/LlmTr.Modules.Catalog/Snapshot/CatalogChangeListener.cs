using LlmTr.Modules.Catalog.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LlmTr.Modules.Catalog.Snapshot;

/// <summary>
/// Loads the catalog before the host serves, then keeps it current: a change on any host sends a PostgreSQL
/// notification, and every host listening reloads within moments. A periodic check covers notices missed while
/// the connection was down.
/// </summary>
internal sealed partial class CatalogChangeListener(
    CatalogSnapshotStore store,
    NpgsqlDataSource dataSource,
    ILogger<CatalogChangeListener> logger) : BackgroundService
{
    private static readonly TimeSpan SafetyCheck = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(2);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.RefreshAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {CatalogDbContext.ChangeChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                await store.RefreshAsync(stoppingToken); // anything that changed before LISTEN took effect
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(SafetyCheck, stoppingToken);
                    await store.RefreshAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                LogListenFailed(logger, e.Message);
                await Task.Delay(Reconnect, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog change notifications interrupted ({Reason}); reconnecting")]
    private static partial void LogListenFailed(ILogger logger, string reason);
}
