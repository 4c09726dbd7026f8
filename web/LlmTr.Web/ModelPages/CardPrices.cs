using LlmTr.Modules.Catalog.Contracts;

namespace LlmTr.Web.ModelPages;

/// <summary>
/// The prices a catalog card shows: each price in force for the units people compare models by (input and output
/// tokens, images, audio minutes, requests), in unit order. A model priced per image or per audio minute shows those;
/// "Not priced" is only for a model with no price in force at all.
/// </summary>
internal static class CardPrices
{
    public static IReadOnlyList<ModelPrice> For(CatalogModel model, DateTimeOffset at) =>
        model.PricesAt(at).Where(price => price.Unit != PriceUnit.CachedInputTokensPerMillion).ToList();

    /// <summary>The CSS class of a price's row: input and output token prices keep their own, other units share one.</summary>
    public static string ClassOf(PriceUnit unit) => unit switch
    {
        PriceUnit.InputTokensPerMillion => "llmtr-input-price",
        PriceUnit.OutputTokensPerMillion => "llmtr-output-price",
        _ => "llmtr-unit-price",
    };
}
