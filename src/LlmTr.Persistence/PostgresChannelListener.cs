using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LlmTr.Persistence;

/// <summary>
/// Keeps an in-memory copy current across hosts: listens on a PostgreSQL channel, handles each notification, and
/// resynchronises fully at start (before the host serves), after a reconnect, and when the channel has been quiet for
/// <see cref="ResyncInterval"/>, which covers notices missed while the connection was down.
/// </summary>
public abstract partial class PostgresChannelListener(NpgsqlDataSource dataSource, string channel, ILogger logger) : BackgroundService
{
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(2);

    protected virtual TimeSpan ResyncInterval => TimeSpan.FromSeconds(30);

    protected abstract Task ResyncAsync(CancellationToken cancellationToken);

    /// <summary>By default any notice means "load again"; override to apply one change (the payload) alone.</summary>
    protected virtual Task OnNotificationAsync(string payload, CancellationToken cancellationToken) => ResyncAsync(cancellationToken);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await ResyncAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                LogInterrupted(logger, channel, e.Message);
                await Task.Delay(ReconnectDelay, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Anything else is a defect, but a listener that gave up would stop the whole host (and every
                // in-memory copy would go stale): log it in full and start over with a resync.
                LogFailed(logger, e, channel);
                await Task.Delay(ReconnectDelay, stoppingToken);
            }
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var payloads = new List<string>();
        await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
        connection.Notification += (_, notice) => payloads.Add(notice.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        await ResyncAsync(stoppingToken); // whatever changed before LISTEN took effect
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!await connection.WaitAsync(ResyncInterval, stoppingToken))
            {
                await ResyncAsync(stoppingToken);
                continue;
            }

            var received = payloads.ToList();
            payloads.Clear();
            foreach (var payload in received)
            {
                await OnNotificationAsync(payload, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notifications on {Channel} interrupted ({Reason}); reconnecting")]
    private static partial void LogInterrupted(ILogger logger, string channel, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling notifications on {Channel} failed; reconnecting and resynchronising")]
    private static partial void LogFailed(ILogger logger, Exception exception, string channel);
}
