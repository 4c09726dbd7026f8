using LlmTr.Modules.Catalog.Contracts;

namespace LlmTr.Web.ModelPages;

/// <summary>
/// The prices a catalog card shows: the units people compare models by (input and output tokens, generated images and
/// audio, audio time, requests), in unit order; the prices of parts of a prompt (cache reads and writes, audio and
/// image input), reasoning, searches, tool calls and the prices of particular image sizes are on the model's page. A model priced per image or per audio
/// minute shows those; "Not priced" is only for a model with no price in force at all.
/// </summary>
internal static class CardPrices
{
    public static IReadOnlyList<ModelPrice> For(CatalogModel model, DateTimeOffset at) =>
        ShownPrices.Of(model, at).Where(price => price.Variant is null && price.Unit is PriceUnit.InputTokensPerMillion or PriceUnit.OutputTokensPerMillion
            or PriceUnit.AudioOutputTokensPerMillion or PriceUnit.ImageOutputTokensPerMillion or PriceUnit.Image or PriceUnit.AudioMinute
            or PriceUnit.AudioSecond or PriceUnit.Request).ToList();

    /// <summary>The CSS class of a price's row: input and output token prices keep their own, other units share one.</summary>
    public static string ClassOf(PriceUnit unit) => unit switch
    {
        PriceUnit.InputTokensPerMillion => "llmtr-input-price",
        PriceUnit.OutputTokensPerMillion => "llmtr-output-price",
        _ => "llmtr-unit-price",
    };
}

/// <summary>
/// The prices in force that a page lists: all of them for a free model (every price zero), else the ones that charge
/// something, so a price that was ended by setting it to zero (GPT Image's flat image price, now billed by its tokens)
/// does not read as "0.00 per image".
/// </summary>
internal static class ShownPrices
{
    public static IReadOnlyList<ModelPrice> Of(CatalogModel model, DateTimeOffset at)
    {
        var prices = model.PricesAt(at);
        return prices.Any(p => p.Amount != 0) ? prices.Where(p => p.Amount != 0).ToList() : prices;
    }
}
