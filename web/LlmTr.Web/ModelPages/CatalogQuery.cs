using System.Globalization;
using LlmTr.Modules.Catalog.Contracts;

namespace LlmTr.Web.ModelPages;

/// <summary>
/// The /models filters. Values the catalog does not know are dropped rather than rejected: a stale or hand-edited
/// link still shows the catalog (unlike /api/models, where a typo earns a 400).
/// </summary>
public sealed record CatalogQuery(string? Text, bool HostedOnly, string? Modality, string? Operation, string? Provider, CatalogSort Sort)
{
    public static CatalogQuery Parse(CatalogSnapshot catalog, string? q, string? hosted, string? modality, string? operation, string? provider, string? sort) =>
        new(
            string.IsNullOrWhiteSpace(q) ? null : q.Trim(),
            bool.TryParse(hosted, out var hostedOnly) && hostedOnly,
            modality is not null && Modalities.Input.Contains(modality) ? modality : null,
            operation is not null && Operations.All.Contains(operation) ? operation : null,
            provider is not null && catalog.FindProvider(provider) is not null ? provider : null,
            Enum.TryParse<CatalogSort>(sort, ignoreCase: true, out var order) && Enum.IsDefined(order) ? order : CatalogSort.Name);

    public bool IsFiltered => Text is not null || HostedOnly || Modality is not null || Operation is not null || Provider is not null;

    public IReadOnlyList<CatalogModel> Apply(CatalogSnapshot catalog, DateTimeOffset now)
    {
        var models = catalog.Models.Where(m => m.IsListed && Matches(m, catalog.FindProvider(m.ProviderId)));
        return Sort switch
        {
            // Models without an input price (none in force yet) go last rather than looking free.
            CatalogSort.Price => models
                .OrderBy(m => m.PriceAt(PriceUnit.InputTokensPerMillion, now)?.Amount ?? decimal.MaxValue)
                .ThenBy(m => m.Id, StringComparer.Ordinal)
                .ToList(),
            CatalogSort.Context => models.OrderByDescending(m => m.HasContextWindow).ThenByDescending(m => m.ContextLength).ThenBy(m => m.Id, StringComparer.Ordinal).ToList(),
            _ => models.OrderBy(m => m.DisplayName, StringComparer.Create(CultureInfo.CurrentCulture, ignoreCase: true))
                .ThenBy(m => m.Id, StringComparer.Ordinal)
                .ToList(),
        };
    }

    private bool Matches(CatalogModel model, CatalogProvider? provider) =>
        (!HostedOnly || model.HostedInTurkey)
        && (Modality is null || model.InputModalities.Contains(Modality))
        && (Operation is null || model.Operations.Contains(Operation))
        && (Provider is null || model.ProviderId == Provider)
        && (Text is null || SearchableText(model, provider).Any(s => s.Contains(Text, StringComparison.CurrentCultureIgnoreCase)));

    private static IEnumerable<string> SearchableText(CatalogModel model, CatalogProvider? provider) =>
        [model.Id, model.DisplayName, model.Description.En, model.Description.Tr, model.ProviderId, provider?.DisplayName ?? ""];
}
