using System.Text.Json;
using System.Text.Json.Serialization;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.SharedKernel;

namespace LlmTr.Modules.Catalog.Api;

internal sealed record ModelListing(string Object, IReadOnlyList<ModelView> Data);

/// <summary>What a developer needs to choose a model, as /api/models shows it.</summary>
internal sealed record ModelView(
    string Id,
    string Name,
    ProviderView Provider,
    LocalizedText Description,
    string Status,
    int ContextLength,
    int? MaxOutputTokens,
    IReadOnlyList<string> InputModalities,
    IReadOnlyList<string> OutputModalities,
    IReadOnlyList<string> Operations,
    IReadOnlyList<string> Parameters,
    bool HostedInTurkey,
    IReadOnlyList<HopView> DataPath,
    IReadOnlyList<PriceView> Prices,
    DateOnly? ReleaseDate,
    IReadOnlyList<DeploymentView> Deployments)
{
    public static ModelView From(CatalogModel model, CatalogProvider? provider, DateTimeOffset now) => new(
        model.Id,
        model.DisplayName,
        new ProviderView(model.ProviderId, provider?.DisplayName ?? model.ProviderId),
        model.Description,
        Snake(model.Status),
        model.ContextLength,
        model.MaxOutputTokens,
        model.InputModalities,
        model.OutputModalities,
        model.Operations,
        model.Parameters,
        model.HostedInTurkey,
        Hops(model.DataPath),
        model.PricesAt(now).Select(p => new PriceView(PriceUnits.ApiName(p.Unit), p.Amount, p.Currency, p.EffectiveFrom, p.Variant)).ToList(),
        model.ReleaseDate,
        model.Deployments.Where(d => d.IsActive).Select(d => new DeploymentView(d.Name, d.Region, d.HostedInTurkey, Hops(d.DataPath))).ToList());

    private static List<HopView> Hops(IReadOnlyList<DataPathHop> path) => path.Select(h => new HopView(
        h.Operator, h.Country, h.Region, h.Purpose, h.Retention, Snake(h.Keeps), h.UsedForTraining,
        Turkish(h.PurposeText), Turkish(h.RetentionText))).ToList();

    /// <summary>The Turkish text, or the English one while no Turkish text is written: a client always has something to show.</summary>
    private static string Turkish(LocalizedText text) => string.IsNullOrWhiteSpace(text.Tr) ? text.En : text.Tr;

    internal static string Snake<TEnum>(TEnum value)
        where TEnum : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}

internal sealed record ProviderView(string Id, string Name);

/// <summary>
/// One active deployment the model is served from: a request takes one of these paths (<c>data_path</c> is the default
/// one's). Addresses, accounts and weights are the operator's business and never shown.
/// </summary>
internal sealed record DeploymentView(string Name, string? Region, bool HostedInTurkey, IReadOnlyList<HopView> DataPath);

/// <param name="Purpose">What the hop does, in English (the field clients have always read).</param>
/// <param name="Retention">What the hop keeps and for how long, in English.</param>
/// <param name="Keeps">What the hop keeps of the request: <c>nothing</c>, <c>metadata_only</c> or <c>content</c>.</param>
/// <param name="PurposeTr">The purpose in Turkish (the English text while no Turkish one is written).</param>
/// <param name="RetentionTr">The retention statement in Turkish (the English text while no Turkish one is written).</param>
internal sealed record HopView(
    string Operator, string Country, string? Region, string Purpose, string Retention, string Keeps, bool UsedForTraining, string PurposeTr, string RetentionTr);

/// <param name="Unit">
/// What the price is per: <c>input_tokens_per_million</c>, <c>cached_input_tokens_per_million</c>,
/// <c>cache_write_5m_tokens_per_million</c>, <c>cache_write_1h_tokens_per_million</c>, <c>audio_input_tokens_per_million</c>,
/// <c>image_input_tokens_per_million</c>, <c>output_tokens_per_million</c>, <c>reasoning_tokens_per_million</c>,
/// <c>audio_output_tokens_per_million</c>, <c>image_output_tokens_per_million</c>, <c>image</c>, <c>audio_minute</c>,
/// <c>audio_second</c>, <c>web_search</c>, <c>tool_call</c> or <c>request</c>.
/// </param>
/// <param name="Variant">For an image price, the size and quality it applies to (<c>1024x1024/high</c>); absent otherwise.</param>
internal sealed record PriceView(
    string Unit, decimal Amount, string Currency, DateTimeOffset EffectiveFrom,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Variant = null);

/// <summary>OpenAI's model object: <c>{"id","object":"model","created","owned_by"}</c>.</summary>
internal sealed record OpenAiModel(string Id, string Object, long Created, string OwnedBy)
{
    public static OpenAiModel From(CatalogModel model) => new(
        model.Id,
        "model",
        model.ReleaseDate is { } released ? new DateTimeOffset(released.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds() : 0,
        model.ProviderId);
}

internal sealed record OpenAiModelList(string Object, IReadOnlyList<OpenAiModel> Data);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ModelListing))]
[JsonSerializable(typeof(OpenAiModelList))]
[JsonSerializable(typeof(OpenAiModel))]
[JsonSerializable(typeof(OpenAiErrorResponse))]
internal sealed partial class CatalogJson : JsonSerializerContext;
