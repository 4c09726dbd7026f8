using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Data;
using LlmTr.Modules.Billing.Ledger;

namespace LlmTr.Modules.Billing.Usage;

/// <summary>A finished request with its cost, waiting in the usage queue to be written.</summary>
internal sealed record PricedUsage(UsageReport Report, decimal Cost, DateTimeOffset RecordedAt)
{
    public DateOnly Month => KeySpend.MonthOf(Report.StartedAt);

    /// <summary>
    /// The gateway's report as columns can hold it: ids cut to their column's length (a longer request id is not
    /// ours to reject after the request already ran), audio minutes to six places, times in UTC. A report without a
    /// request id gets one of its own, so it is never taken for a duplicate of another.
    /// </summary>
    public static UsageReport Normalized(UsageReport report) => report with
    {
        RequestId = string.IsNullOrEmpty(report.RequestId) ? $"unidentified-{Guid.NewGuid():N}" : Cut(report.RequestId, UsageLimits.RequestIdLength),
        ModelId = string.IsNullOrEmpty(report.ModelId) ? "unknown" : Cut(report.ModelId, UsageLimits.ModelIdLength),
        StartedAt = report.StartedAt.ToUniversalTime(),
        Counts = report.Counts with { AudioMinutes = Math.Round(report.Counts.AudioMinutes, 6, MidpointRounding.AwayFromZero) },
        ProcessedIn = report.ProcessedIn ?? [],
    };

    private static string Cut(string value, int length) => value.Length <= length ? value : value[..length];
}
