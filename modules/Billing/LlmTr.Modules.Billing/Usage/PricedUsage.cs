using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Data;
using LlmTr.Modules.Billing.Ledger;
using LlmTr.Modules.Catalog.Contracts;

namespace LlmTr.Modules.Billing.Usage;

/// <summary>
/// A finished request with its cost, waiting in the usage queue to be written. A value: queueing it allocates nothing
/// of its own.
/// </summary>
internal readonly record struct PricedUsage(UsageReport Report, decimal Cost, DateTimeOffset RecordedAt)
{
    public DateOnly Month => KeySpend.MonthOf(Report.StartedAt);

    /// <summary>
    /// The gateway's report as columns can hold it: ids cut to their column's length (a longer request id is not
    /// ours to reject after the request already ran; never between the two halves of a character), audio minutes to
    /// six places, times in UTC. A report without a request id gets one of its own, so it is never taken for a
    /// duplicate of another. A report that needs none of this (the gateway's always) is returned as it is, uncopied.
    /// </summary>
    public static UsageReport Normalized(UsageReport report)
    {
        var audioMinutes = report.Counts.AudioMinutes;
        var roundedMinutes = audioMinutes == 0m ? 0m : Math.Round(audioMinutes, 6, MidpointRounding.AwayFromZero);
        var variant = report.Counts.ImageVariant;
        var keptVariant = variant is not null && variant.Length <= UsageLimits.ImageVariantLength && PriceVariants.IsImageVariant(variant) ? variant : null;
        if (keptVariant == variant && !string.IsNullOrEmpty(report.RequestId) && report.RequestId.Length <= UsageLimits.RequestIdLength
            && !string.IsNullOrEmpty(report.ModelId) && report.ModelId.Length <= UsageLimits.ModelIdLength
            && report.StartedAt.Offset == TimeSpan.Zero && roundedMinutes == audioMinutes && report.ProcessedIn is not null
            && (report.ErrorCode is null || (report.ErrorCode.Length <= UsageErrors.MaxCodeLength && !HasNul(report.ErrorCode)))
            && (report.ErrorMessage is null || (report.ErrorMessage.Length <= UsageErrors.MaxMessageLength && !HasNul(report.ErrorMessage))))
        {
            return report;
        }

        return report with
        {
            RequestId = string.IsNullOrEmpty(report.RequestId) ? $"unidentified-{Guid.NewGuid():N}" : Cut(report.RequestId, UsageLimits.RequestIdLength),
            ModelId = string.IsNullOrEmpty(report.ModelId) ? "unknown" : Cut(report.ModelId, UsageLimits.ModelIdLength),
            StartedAt = report.StartedAt.ToUniversalTime(),
            Counts = roundedMinutes == audioMinutes && keptVariant == variant ? report.Counts : report.Counts with { AudioMinutes = roundedMinutes, ImageVariant = keptVariant },
            ProcessedIn = report.ProcessedIn ?? [],
            ErrorCode = Text(report.ErrorCode, UsageErrors.MaxCodeLength),
            ErrorMessage = Text(report.ErrorMessage, UsageErrors.MaxMessageLength),
        };
    }

    /// <summary>PostgreSQL text cannot hold NUL: a report's error text is stored without it, cut to its column.</summary>
    private static string? Text(string? value, int length) =>
        string.IsNullOrEmpty(value) ? null : Cut(HasNul(value) ? value.Replace("\0", "", StringComparison.Ordinal) : value, length);

    private static bool HasNul(string value) => value.Contains('\0', StringComparison.Ordinal);

    private static string Cut(string value, int length) =>
        value.Length <= length ? value : value[..(char.IsHighSurrogate(value[length - 1]) ? length - 1 : length)];
}
