using LlmTr.Modules.Billing.Usage;
using Microsoft.Extensions.Options;

namespace LlmTr.Modules.Billing.Jobs;

/// <summary>
/// Keeps the usage table's monthly partitions: makes those of the next <c>Billing:UsagePartitionsAhead</c> months, and
/// drops the months wholly older than <c>Billing:UsageRetentionMonths</c> whose days the daily roll-up holds. Running it
/// twice, or on two hosts at once, changes nothing more than running it once.
/// </summary>
internal sealed class UsagePartitionsJob(UsagePartitions partitions, IOptions<BillingOptions> options, TimeProvider time)
{
    public async Task<PartitionsDropped> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await partitions.EnsureAheadAsync(now, options.Value.UsagePartitionsAhead, cancellationToken);
        return await partitions.DropExpiredAsync(now, options.Value.UsageRetentionMonths, cancellationToken);
    }
}
