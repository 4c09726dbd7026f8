using System.Globalization;
using System.Text.Json.Serialization;

namespace LlmTr.Modules.Catalog.Contracts;

/// <summary>Text the product shows in English and Turkish.</summary>
public sealed record LocalizedText(string En, string Tr)
{
    public string For(CultureInfo culture) =>
        culture.TwoLetterISOLanguageName == "tr" && !string.IsNullOrWhiteSpace(Tr) ? Tr : En;
}

/// <param name="SpeaksResponsesApi">
/// The provider serves OpenAI's Responses API (<c>POST {base}/responses</c>) itself, besides chat completions: a
/// Responses API request to one of its models is relayed as the client sent it instead of being translated. Only
/// meaningful for the OpenAI protocol (OpenAI and xAI do; most OpenAI-compatible providers do not).
/// </param>
public sealed record CatalogProvider(
    string Id,
    string DisplayName,
    ApiProtocol Protocol,
    string BaseUrl,
    string Country,
    string? Region,
    LocalizedText DataHandling,
    ProviderStatus Status,
    bool SpeaksResponsesApi = false);

/// <summary>What a stop of a data path keeps of a request, as a fact the gateway can check (the statement says the rest).</summary>
public enum HopRetention
{
    /// <summary>Keeps some of the prompt or output for a while (abuse monitoring, logs, the operator's terms). The safe default.</summary>
    Content = 0,

    /// <summary>Keeps metadata only (who, which model, counts, cost, timing), never the content.</summary>
    MetadataOnly = 1,

    /// <summary>Keeps nothing once the response is sent.</summary>
    Nothing = 2,
}

/// <summary>
/// One stop a request makes, and what that stop keeps of it: <paramref name="Retention"/> is the statement shown to
/// people, <paramref name="Keeps"/> the structured fact that per-request and per-key <c>retention: none</c> check.
/// <paramref name="Purpose"/> and <paramref name="Retention"/> are in English; <paramref name="PurposeTr"/> and
/// <paramref name="RetentionTr"/> say the same in Turkish, and are empty until someone writes them (English shows then).
/// </summary>
public sealed record DataPathHop(
    string Operator, string Country, string? Region, string Purpose, string Retention, bool UsedForTraining, HopRetention Keeps = HopRetention.Content,
    string PurposeTr = "", string RetentionTr = "")
{
    public const string Turkey = "TR";

    /// <summary>What the hop does, in both languages.</summary>
    [JsonIgnore]
    public LocalizedText PurposeText => new(Purpose, PurposeTr);

    /// <summary>What the hop keeps and for how long, in both languages.</summary>
    [JsonIgnore]
    public LocalizedText RetentionText => new(Retention, RetentionTr);

    public bool InTurkey => string.Equals(Country, Turkey, StringComparison.OrdinalIgnoreCase);

    /// <summary>The hop keeps nothing of the request's content (metadata at most): what <c>retention: none</c> accepts.</summary>
    public bool RetainsNothing => Keeps is HopRetention.MetadataOnly or HopRetention.Nothing;
}

/// <param name="Variant">
/// For an <see cref="PriceUnit.Image"/> price, the size and quality it applies to (<c>1024x1024/high</c>, or a size alone
/// for every quality); null for the unit's price whatever the variant, and for every other unit.
/// </param>
public sealed record ModelPrice(PriceUnit Unit, decimal Amount, string Currency, DateTimeOffset EffectiveFrom, string? Variant = null);

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
    /// <summary>
    /// Derived, never typed: every hop of the data path is in Turkey, on every active deployment (a model is hosted in
    /// Turkey only if no request to it can be served from anywhere else).
    /// </summary>
    public bool HostedInTurkey => EveryActiveDeployment(static d => d.HostedInTurkey) && EveryHop(static hop => hop.InTurkey);

    /// <summary>Derived: a published data path none of whose hops keeps the request's content, on every active deployment.</summary>
    public bool RetainsNothing => EveryActiveDeployment(static d => d.RetainsNothing) && EveryHop(static hop => hop.RetainsNothing);

    /// <summary>
    /// Where the model is served from, in the catalog's order; never empty in a loaded snapshot (a model with none of its
    /// own is served by its provider's default deployment). <see cref="DataPath"/> is the published path of the default one.
    /// </summary>
    public IReadOnlyList<CatalogDeployment> Deployments { get; init; } = [];

    /// <summary>Every data path a request to the model may take: its active deployments', or its own when it lists none.</summary>
    public IEnumerable<IReadOnlyList<DataPathHop>> ActivePaths =>
        Deployments.Any(static d => d.IsActive) ? Deployments.Where(static d => d.IsActive).Select(static d => d.DataPath) : [DataPath];

    private bool EveryActiveDeployment(Func<CatalogDeployment, bool> test)
    {
        for (var i = 0; i < Deployments.Count; i++)
        {
            if (Deployments[i].IsActive && !test(Deployments[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the model's provider is disabled: its models are then withdrawn whatever their own status.</summary>
    public bool ProviderDisabled { get; init; }

    /// <summary>Listed for developers (and callable): public, active or in preview, from a provider that is not disabled.</summary>
    public bool IsListed => !ProviderDisabled && Visibility == ModelVisibility.Public && Status is ModelStatus.Active or ModelStatus.Preview;

    /// <summary>The price in force at <paramref name="at"/> for one unit (its plain price, no variant), or null when the model has none for it then.</summary>
    public ModelPrice? PriceAt(PriceUnit unit, DateTimeOffset at) => InForce(unit, null, at);

    /// <summary>
    /// The price in force at <paramref name="at"/> for one unit and variant: the variant's own price (<c>1024x1024/high</c>),
    /// else its size's (<c>1024x1024</c>), else the unit's plain price; null when none is in force.
    /// </summary>
    public ModelPrice? PriceAt(PriceUnit unit, string? variant, DateTimeOffset at)
    {
        if (variant is null)
        {
            return InForce(unit, null, at);
        }

        var slash = variant.IndexOf('/', StringComparison.Ordinal);
        return InForce(unit, variant, at)
            ?? (slash > 0 ? InForce(unit, variant[..slash], at) : null)
            ?? InForce(unit, null, at);
    }

    /// <summary>The dearest price in force at <paramref name="at"/> for a unit over all its variants: what a request holds when it cannot know the variant.</summary>
    public decimal? HighestPriceAt(PriceUnit unit, DateTimeOffset at)
    {
        decimal? highest = null;
        var prices = PricesAt(at);
        for (var i = 0; i < prices.Count; i++)
        {
            if (prices[i].Unit == unit && (highest is null || prices[i].Amount > highest))
            {
                highest = prices[i].Amount;
            }
        }

        return highest;
    }

    /// <summary>Every unit's (and variant's) price in force at <paramref name="at"/>, in unit order, variants by name.</summary>
    /// <remarks>Asked on every gateway request: plain loops over a short history, no LINQ.</remarks>
    public IReadOnlyList<ModelPrice> PricesAt(DateTimeOffset at)
    {
        var inForce = new List<ModelPrice>(4);
        for (var i = 0; i < PriceHistory.Count; i++)
        {
            var price = PriceHistory[i];
            if (price.EffectiveFrom > at)
            {
                continue;
            }

            var same = inForce.Count - 1;
            while (same >= 0 && (inForce[same].Unit != price.Unit || !string.Equals(inForce[same].Variant, price.Variant, StringComparison.Ordinal)))
            {
                same--;
            }

            if (same < 0)
            {
                inForce.Add(price);
            }
            else if (price.EffectiveFrom > inForce[same].EffectiveFrom)
            {
                inForce[same] = price;
            }
        }

        inForce.Sort(static (a, b) => a.Unit != b.Unit ? a.Unit.CompareTo(b.Unit) : string.CompareOrdinal(a.Variant, b.Variant));
        return inForce;
    }

    private ModelPrice? InForce(PriceUnit unit, string? variant, DateTimeOffset at)
    {
        ModelPrice? inForce = null;
        for (var i = 0; i < PriceHistory.Count; i++)
        {
            var price = PriceHistory[i];
            if (price.Unit == unit && price.EffectiveFrom <= at && string.Equals(price.Variant, variant, StringComparison.Ordinal)
                && (inForce is null || price.EffectiveFrom > inForce.EffectiveFrom))
            {
                inForce = price;
            }
        }

        return inForce;
    }

    /// <summary>Whether the model has a price in force at <paramref name="at"/> for any unit (tokens, images, audio minutes, requests).</summary>
    public bool IsPricedAt(DateTimeOffset at)
    {
        for (var i = 0; i < PriceHistory.Count; i++)
        {
            if (PriceHistory[i].EffectiveFrom <= at)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a context length means something for this model: it does for chat models, whose conversations fill a
    /// context window; image generation, speech, transcription and embedding models are limited otherwise.
    /// </summary>
    public bool HasContextWindow => Operations.Contains(global::LlmTr.Modules.Catalog.Contracts.Operations.Chat, StringComparer.Ordinal);

    /// <summary>Whether any unit's price in force at <paramref name="at"/> is above zero.</summary>
    public bool IsPaidAt(DateTimeOffset at)
    {
        for (var i = 0; i < PriceHistory.Count; i++)
        {
            if (PriceHistory[i] is { Amount: > 0 } price && price.EffectiveFrom <= at && InForce(price.Unit, price.Variant, at) is { Amount: > 0 })
            {
                return true;
            }
        }

        return false;
    }

    private bool EveryHop(Func<DataPathHop, bool> test)
    {
        if (DataPath.Count == 0)
        {
            return false;
        }

        for (var i = 0; i < DataPath.Count; i++)
        {
            if (!test(DataPath[i]))
            {
                return false;
            }
        }

        return true;
    }
}
