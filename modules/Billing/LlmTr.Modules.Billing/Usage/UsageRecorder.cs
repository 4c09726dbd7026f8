using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Ledger;
using LlmTr.Modules.Catalog.Contracts;
using Microsoft.Extensions.Logging;

namespace LlmTr.Modules.Billing.Usage;

/// <summary>Prices a finished request from the in-memory catalog, debits this host's view of the account at once, and queues the row.</summary>
internal sealed partial class UsageRecorder(
    IModelCatalog catalog, AccountCredits credits, UsageWriter writer, TimeProvider time, ILogger<UsageRecorder> logger) : IUsageRecorder, IUsagePricing
{
    public UsageCharge Record(UsageReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        report = PricedUsage.Normalized(report);
        var cost = 0m;
        if (catalog.Current.FindModel(report.ModelId) is { } model)
        {
            cost = UsagePricing.CostOf(model, report.Counts, report.StartedAt, report.Outcome);
        }
        else if (report.Counts != UsageCounts.None)
        {
            // A request refused before its model was known consumed nothing; usage for a model the catalog lost is worth a look.
            LogUnknownModel(logger, report.ModelId, report.RequestId);
        }

        var usage = new PricedUsage(report, cost, time.GetUtcNow());
        credits.Debit(report.AccountId, report.SpendKeyId, usage.Month, cost, report.MemberSpendId); // before queueing: a batch always finds its debit here
        writer.Enqueue(usage);
        return new UsageCharge(cost, credits.Currency);
    }

    public UsageCost? Price(string modelId, UsageCounts counts, DateTimeOffset at, UsageOutcome outcome = UsageOutcome.Succeeded) =>
        catalog.Current.FindModel(modelId) is { } model
            ? new UsageCost(UsagePricing.LinesOf(model, counts, at, outcome), UsagePricing.CostOf(model, counts, at, outcome), credits.Currency)
            : null;

    public decimal MaximumCost(string modelId, UsageCounts maximum, DateTimeOffset startedAt) =>
        catalog.Current.FindModel(modelId) is { } model ? UsagePricing.MaximumCostOf(model, maximum, startedAt) : 0m;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Usage of request {RequestId} names model {ModelId}, which the catalog does not have: recorded at no cost")]
    private static partial void LogUnknownModel(ILogger logger, string modelId, string requestId);
}
