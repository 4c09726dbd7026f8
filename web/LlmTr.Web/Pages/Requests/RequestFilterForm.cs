using LlmTr.Modules.Billing.Contracts;

namespace LlmTr.Web.Pages.Requests;

/// <summary>The request log's filter as the user sets it: key, model, outcome and a range of UTC days.</summary>
internal sealed class RequestFilterForm
{
    public Guid? KeyId { get; set; }

    public string? ModelId { get; set; }

    public UsageOutcome? Outcome { get; set; }

    public DateTime? From { get; set; }

    public DateTime? To { get; set; }

    /// <summary>True when the range runs backwards: nothing could match, so the form says so instead of showing an empty log.</summary>
    public bool RangeIsBackwards => From is { } from && To is { } to && from.Date > to.Date;

    public bool IsEmpty => KeyId is null && string.IsNullOrWhiteSpace(ModelId) && Outcome is null && From is null && To is null;

    public UsageFilter ToFilter() => new(
        KeyId,
        string.IsNullOrWhiteSpace(ModelId) ? null : ModelId.Trim(),
        From is { } from ? DateOnly.FromDateTime(from) : null,
        To is { } to ? DateOnly.FromDateTime(to) : null,
        Outcome);

    public RequestFilterForm Copy() => new() { KeyId = KeyId, ModelId = ModelId, Outcome = Outcome, From = From, To = To };
}
