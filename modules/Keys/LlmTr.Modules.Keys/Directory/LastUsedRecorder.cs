using System.Collections.Concurrent;
using LlmTr.Modules.Keys.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlmTr.Modules.Keys.Directory;

/// <summary>
/// "Last used" without a write per request: each use only replaces one in-memory timestamp per key, and a background
/// flush writes every key's latest use in one statement. What is pending when the host stops is written then.
/// </summary>
internal sealed partial class LastUsedRecorder(
    IDbContextFactory<KeysDbContext> contexts,
    IOptions<KeysOptions> options,
    ILogger<LastUsedRecorder> logger) : BackgroundService
{
    private ConcurrentDictionary<Guid, DateTimeOffset> _pending = new();

    public void Record(Guid keyId, DateTimeOffset at) =>
        _pending.AddOrUpdate(keyId, at, (_, earlier) => earlier > at ? earlier : at);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LastUsedFlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        var batch = Interlocked.Exchange(ref _pending, new ConcurrentDictionary<Guid, DateTimeOffset>());
        if (batch.IsEmpty)
        {
            return;
        }

        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var ids = batch.Keys.ToArray();
            var times = ids.Select(id => batch[id]).ToArray();
            await db.Database.ExecuteSqlAsync($"""
                UPDATE keys.api_keys AS k SET "LastUsedAt" = u.at
                FROM unnest({ids}, {times}) AS u(id, at)
                WHERE k."Id" = u.id AND (k."LastUsedAt" IS NULL OR k."LastUsedAt" < u.at)
                """, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Best effort: put the batch back so the next flush tries again, keeping the latest time per key.
            foreach (var (id, at) in batch)
            {
                Record(id, at);
            }

            LogFlushFailed(logger, batch.Count, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write last-used times of {Count} keys ({Reason}); retrying")]
    private static partial void LogFlushFailed(ILogger logger, int count, string reason);
}
