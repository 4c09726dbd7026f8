using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LlmTr.Identity.Sessions;

/// <summary>Deletes sessions whose cookie has expired; a recurring job that runs once per occurrence across hosts.</summary>
public sealed partial class PurgeExpiredSessionsJob
{
    public const string RecurringJobId = "identity:purge-expired-sessions";

    private readonly IDbContextFactory<LlmTrIdentityDbContext> _contexts;
    private readonly TimeProvider _time;
    private readonly ILogger<PurgeExpiredSessionsJob> _logger;

    internal PurgeExpiredSessionsJob(
        IDbContextFactory<LlmTrIdentityDbContext> contexts, TimeProvider time, ILogger<PurgeExpiredSessionsJob> logger)
    {
        _contexts = contexts;
        _time = time;
        _logger = logger;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var purged = await db.Sessions.Where(s => s.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        LogPurged(_logger, purged);
        return purged;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} expired sessions")]
    private static partial void LogPurged(ILogger logger, int count);
}
