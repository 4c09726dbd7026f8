using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LlmTr.Modules.Billing.Jobs;

/// <summary>When the billing module's recurring jobs run (cron, UTC).</summary>
internal sealed class BillingJobOptions
{
    public const string Section = "Jobs:Billing";

    public string ExpireTopUpsCron { get; set; } = "*/10 * * * *";

    public string ReconcileTopUpsCron { get; set; } = "*/15 * * * *";

    public string RollUpUsageCron { get; set; } = "5 * * * *";

    public string LowBalanceCron { get; set; } = "*/30 * * * *";

    /// <summary>Makes usage partitions ahead and drops the expired ones (after the roll-up's run at five past the hour).</summary>
    public string UsagePartitionsCron { get; set; } = "35 3 * * *";

    /// <summary>How long after its checkout closed a pending top-up is left for a late notice before it is called abandoned.</summary>
    public TimeSpan AbandonedAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How old a pending Stripe top-up must be before Stripe is asked about it (its webhook may simply be on the way).</summary>
    public TimeSpan ReconcileAfter { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>Declares the recurring jobs at start; Hangfire keeps one definition however many hosts declare it, and runs each occurrence once.</summary>
internal sealed class BillingJobsRegistration(IRecurringJobManager jobs, IOptions<BillingJobOptions> options) : IHostedService
{
    public const string ExpireTopUps = "billing:expire-abandoned-top-ups";
    public const string ReconcileTopUps = "billing:reconcile-top-ups";
    public const string RollUpUsage = "billing:roll-up-daily-usage";
    public const string LowBalance = "billing:low-balance-notices";
    public const string UsagePartitions = "billing:usage-partitions";

    /// <remarks>Hangfire's storage calls are synchronous: they run on a pool thread, never on a socket engine's (see IdentityJobsRegistration).</remarks>
    public Task StartAsync(CancellationToken cancellationToken) => Task.Run(
        () =>
        {
            var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
            jobs.AddOrUpdate<ExpireAbandonedTopUpsJob>(ExpireTopUps, job => job.RunAsync(CancellationToken.None), options.Value.ExpireTopUpsCron, utc);
            jobs.AddOrUpdate<ReconcileTopUpsJob>(ReconcileTopUps, job => job.RunAsync(CancellationToken.None), options.Value.ReconcileTopUpsCron, utc);
            jobs.AddOrUpdate<RollUpDailyUsageJob>(RollUpUsage, job => job.RunAsync(CancellationToken.None), options.Value.RollUpUsageCron, utc);
            jobs.AddOrUpdate<LowBalanceNoticeJob>(LowBalance, job => job.RunAsync(CancellationToken.None), options.Value.LowBalanceCron, utc);
            jobs.AddOrUpdate<UsagePartitionsJob>(UsagePartitions, job => job.RunAsync(CancellationToken.None), options.Value.UsagePartitionsCron, utc);
        },
        cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
