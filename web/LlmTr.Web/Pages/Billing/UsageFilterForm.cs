using System.Globalization;
using LlmTr.Modules.Billing.Contracts;

namespace LlmTr.Web.Pages.Billing;

/// <summary>The usage page's filter as the user sets it, and the same filter as the CSV export's query string.</summary>
internal sealed class UsageFilterForm
{
    public Guid? KeyId { get; set; }

    public string? ModelId { get; set; }

    public DateTime? From { get; set; }

    public DateTime? To { get; set; }

    public UsageFilter ToFilter() => new(KeyId, string.IsNullOrWhiteSpace(ModelId) ? null : ModelId.Trim(), Day(From), Day(To));

    public string ExportUrl()
    {
        var filter = ToFilter();
        var query = new List<string>();
        if (filter.KeyId is { } key)
        {
            query.Add($"key={key}");
        }

        if (filter.ModelId is { } model)
        {
            query.Add($"model={Uri.EscapeDataString(model)}");
        }

        if (filter.From is { } from)
        {
            query.Add($"from={from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
        }

        if (filter.To is { } to)
        {
            query.Add($"to={to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
        }

        return query.Count == 0 ? "/billing/usage.csv" : $"/billing/usage.csv?{string.Join('&', query)}";
    }

    private static DateOnly? Day(DateTime? date) => date is { } value ? DateOnly.FromDateTime(value) : null;
}
