using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LlmTr.Modules.Billing.Usage;

/// <summary>
/// Makes the usage partitions of this month and the next ones as the host starts (after the migrations), so a new month
/// finds its partition even where the recurring job has not run. A failure here is logged, not fatal: the usage writer
/// makes a missing partition itself.
/// </summary>
internal sealed partial class UsagePartitionsAtStart(
    UsagePartitions partitions, IOptions<BillingOptions> options, TimeProvider time, ILogger<UsagePartitionsAtStart> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await partitions.EnsureAheadAsync(time.GetUtcNow(), options.Value.UsagePartitionsAhead, cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            LogNotCreated(logger, e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not make the usage partitions ahead at start; the daily job and the usage writer will")]
    private static partial void LogNotCreated(ILogger logger, Exception exception);
}
