using LlmTr.Modules.Billing.Contracts;
using Microsoft.Extensions.Logging;

namespace LlmTr.Web.ModelPages;

/// <summary>
/// The public status of every model (<see cref="ModelServiceStatusRule"/>), as model pages show it. Deployment health is
/// read for all models at once and kept for <see cref="Freshness"/>, so pages cost no query each; a stale reading is
/// served while a new one is taken. When the database is slow or away the page shows no status rather than fail or wait:
/// a reading older than <see cref="MaxAge"/> is not shown, and a page without one waits at most <see cref="FirstReadWait"/>.
/// </summary>
internal sealed partial class ModelStatuses(IDeploymentStatistics statistics, TimeProvider time, ILogger<ModelStatuses> logger)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan FirstReadWait = TimeSpan.FromSeconds(1);

    /// <summary>How long one reading may take before it is given up (the next page after <see cref="Freshness"/> tries again).</summary>
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private Reading? _reading;
    private volatile Task? _refresh;
    private bool _refreshing;
    private DateTimeOffset _triedAt = DateTimeOffset.MinValue;

    /// <summary>The model's status, or null when none can be told now (no recent reading of deployment health).</summary>
    public async Task<ModelServiceStatus?> StatusOfAsync(string modelId)
    {
        var now = time.GetUtcNow();
        var start = false;
        lock (_gate)
        {
            if (!_refreshing && now - _triedAt >= Freshness)
            {
                _triedAt = now;
                _refreshing = start = true;
            }
        }

        // Started outside the lock: one reading at a time, whichever page asks first once the last one is stale.
        var refresh = start ? _refresh = RefreshAsync() : _refresh;

        if (refresh is { IsCompleted: false } && Usable(now) is null)
        {
            try
            {
                await refresh.WaitAsync(FirstReadWait, time);
            }
            catch (TimeoutException)
            {
                // The reading goes on for the pages that come next; this one shows no status.
            }
        }

        return Usable(time.GetUtcNow())?.StatusOf(modelId);
    }

    private Reading? Usable(DateTimeOffset now) => Volatile.Read(ref _reading) is { } reading && now - reading.TakenAt <= MaxAge ? reading : null;

    private async Task RefreshAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(ReadTimeout, time);
            var now = time.GetUtcNow();
            var hour = await statistics.SinceAsync(now - ModelServiceStatusRule.Window, timeout.Token);
            var recent = await statistics.SinceAsync(now - ModelServiceStatusRule.RecentWindow, timeout.Token);
            Volatile.Write(ref _reading, new Reading(now, hour, recent));
        }
        catch (Exception e)
        {
            // Any failure to read (a slow or absent database, a cancelled query) only hides the status for a while.
            LogReadFailed(logger, e);
        }
        finally
        {
            lock (_gate)
            {
                _refreshing = false;
            }
        }
    }

    private sealed class Reading(DateTimeOffset takenAt, IReadOnlyList<DeploymentHealthRow> hour, IReadOnlyList<DeploymentHealthRow> recent)
    {
        private readonly Dictionary<string, ModelServiceStatus> _statuses = hour.Select(r => r.ModelId).Distinct(StringComparer.Ordinal)
            .ToDictionary(id => id, id => ModelServiceStatusRule.Of(id, hour, recent), StringComparer.Ordinal);

        public DateTimeOffset TakenAt { get; } = takenAt;

        /// <summary>A model without rows in the hour had no traffic: operational, by the rule.</summary>
        public ModelServiceStatus StatusOf(string modelId) => _statuses.GetValueOrDefault(modelId, ModelServiceStatus.Operational);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deployment health could not be read for the model pages' status; the pages show none until it can")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);
}
