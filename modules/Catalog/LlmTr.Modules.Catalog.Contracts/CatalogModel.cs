using System.Globalization;

namespace LlmTr.Modules.Catalog.Contracts;

/// <summary>Text the product shows in English and Turkish.</summary>
public sealed record LocalizedText(string En, string Tr)
{
    public string For(CultureInfo culture) =>
        culture.TwoLetterISOLanguageName == "tr" && !string.IsNullOrWhiteSpace(Tr) ? Tr : En;
}

public sealed record CatalogProvider(
    string Id,
    string DisplayName,
    ApiProtocol Protocol,
    string BaseUrl,
    string Country,
    string? Region,
    LocalizedText DataHandling,
    ProviderStatus Status);

/// <summary>One stop a request makes, and what that stop keeps of it.</summary>
public sealed record DataPathHop(string Operator, string Country, string? Region, string Purpose, string Retention, bool UsedForTraining)
{
    public const string Turkey = "TR";

    public bool InTurkey => string.Equals(Country, Turkey, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The hop keeps nothing of the request's content: its retention statement says so in the catalog's own words,
    /// starting "Not retained" or "Metadata only" (what per-request <c>retention: none</c> accepts).
    /// </summary>
    public bool RetainsNothing =>
        Retention.StartsWith("Not retained", StringComparison.OrdinalIgnoreCase) || Retention.StartsWith("Metadata only", StringComparison.OrdinalIgnoreCase);
}

public sealed record ModelPrice(PriceUnit Unit, decimal Amount, string Currency, DateTimeOffset EffectiveFrom);

public sealed record CatalogModel(
    string Id,
    string ProviderId,
    string UpstreamName,
    string DisplayName,
    LocalizedText Description,
    int ContextLength,
    int? MaxOutputTokens,
    IReadOnlyList<string> InputModalities,
    IReadOnlyList<string> OutputModalities,
    IReadOnlyList<string> Operations,
    IReadOnlyList<string> Parameters,
    ModelStatus Status,
    ModelVisibility Visibility,
    IReadOnlyList<string> FallbackModelIds,
    DateOnly? ReleaseDate,
    IReadOnlyList<DataPathHop> DataPath,
    IReadOnlyList<ModelPrice> PriceHistory)
{
    /// <summary>Derived, never typed: every hop of the data path is in Turkey.</summary>
    public bool HostedInTurkey => DataPath.Count > 0 && DataPath.All(hop => hop.InTurkey);

    /// <summary>Whether the model's provider is disabled: its models are then withdrawn whatever their own status.</summary>
    public bool ProviderDisabled { get; init; }

    /// <summary>Listed for developers (and callable): public, active or in preview, from a provider that is not disabled.</summary>
    public bool IsListed => !ProviderDisabled && Visibility == ModelVisibility.Public && Status is ModelStatus.Active or ModelStatus.Preview;

    /// <summary>The price in force at <paramref name="at"/> for one unit, or null when the model has none for it then.</summary>
    public ModelPrice? PriceAt(PriceUnit unit, DateTimeOffset at) => PriceHistory
        .Where(p => p.Unit == unit && p.EffectiveFrom <= at)
        .MaxBy(p => p.EffectiveFrom);

    /// <summary>Every unit's price in force at <paramref name="at"/>.</summary>
    public IReadOnlyList<ModelPrice> PricesAt(DateTimeOffset at) => PriceHistory
        .Where(p => p.EffectiveFrom <= at)
        .GroupBy(p => p.Unit)
        .Select(g => g.MaxBy(p => p.EffectiveFrom)!)
        .OrderBy(p => p.Unit)
        .ToList();
}
