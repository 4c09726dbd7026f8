using System.Globalization;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Docs.Rendering;

namespace LlmTr.Modules.Docs.Generated;

/// <summary>
/// The catalog's price units and worked examples of what a request costs, made from the catalog's vocabulary and
/// priced by Billing's own arithmetic (<see cref="IUsagePricing"/>), line by line: the documented sum is the charged sum.
/// </summary>
internal static class PriceUnitTable
{
    /// <summary>Every unit: its name in <c>/api/models</c>, what it counts and what one price is for.</summary>
    public static string Units(string language)
    {
        var table = new MarkdownTable(
            Words.In(language, "Unit (`/api/models`)", "Birim (`/api/models`)"),
            Words.In(language, "Counts", "Neyi sayar"),
            Words.In(language, "Price is", "Fiyat"));
        foreach (var unit in Enum.GetValues<PriceUnit>())
        {
            table.RawRow(MarkdownTable.Code(PriceUnits.ApiName(unit)), MarkdownTable.Escape(Text(PriceUnits.Meaning(unit), language)),
                MarkdownTable.Escape(Text(PriceUnits.Per(unit), language)));
        }

        return table.ToString();
    }

    /// <summary>
    /// Worked examples on the catalog's own models at their prices in force: a request's usage, and its cost line by
    /// line with the total, as Billing charges it. A model the catalog no longer has is left out.
    /// </summary>
    public static string Examples(IUsagePricing pricing, DateTimeOffset at, string language)
    {
        var text = new System.Text.StringBuilder();
        foreach (var example in Worked)
        {
            if (pricing.Price(example.ModelId, example.Counts, at) is not { } cost)
            {
                continue;
            }

            text.Append("**").Append(Text(example.Title, language)).Append("** ").Append(MarkdownTable.Code(example.ModelId)).Append(", ")
                .Append(Text(example.Usage, language)).Append("\n\n");
            var table = new MarkdownTable(
                Words.In(language, "Unit", "Birim"),
                Words.In(language, "Quantity", "Miktar"),
                Words.In(language, "Price", "Fiyat"),
                Words.In(language, "Amount", "Tutar"));
            foreach (var line in cost.Lines)
            {
                var unit = PriceUnits.FromApiName(line.Unit);
                table.RawRow(MarkdownTable.Code(line.Unit + (line.Variant is null ? "" : $" ({line.Variant})")), MarkdownTable.Escape(Number(line.Quantity)),
                    MarkdownTable.Escape($"{Number(line.Price)} {Text(PriceUnits.Per(unit), language)}"),
                    MarkdownTable.Escape(Number(line.Amount)));
            }

            table.RawRow($"**{Words.In(language, "Total", "Toplam")}**", "", "", $"**{MarkdownTable.Escape($"{Number(cost.Total)} {cost.Currency}")}**");
            text.Append(table).Append('\n');
        }

        return text.ToString().TrimEnd('\n') + "\n";
    }

    private static string Text(LocalizedText text, string language) => language == "tr" ? text.Tr : text.En;

    private static string Number(decimal value) => (value / 1.000000000000000000000000000m).ToString("#,0.##############", CultureInfo.InvariantCulture);

    private sealed record Example(string ModelId, LocalizedText Title, LocalizedText Usage, UsageCounts Counts);

    /// <summary>Requests shaped like the providers' own: prompt caching with a search, audio in chat, an image, a grounded answer.</summary>
    private static readonly Example[] Worked =
    [
        new("anthropic/claude-sonnet-4.5", new("Prompt caching and web search.", "İstem önbelleği ve web araması."),
            new("10,000 prompt tokens, of which 2,000 read from the cache, 3,000 written to a 5-minute cache and 1,000 to a 1-hour cache; 500 output tokens; two web searches:",
                "10.000 istem token'ı; bunların 2.000'i önbellekten okunmuş, 3.000'i 5 dakikalık, 1.000'i 1 saatlik önbelleğe yazılmış; 500 çıktı token'ı; iki web araması:"),
            new UsageCounts(10_000, 500, CachedPromptTokens: 2_000) { CacheWrite5mTokens = 3_000, CacheWrite1hTokens = 1_000, WebSearches = 2 }),
        new("openai/gpt-4o-audio-preview", new("Audio in chat.", "Sohbette ses."),
            new("1,200 prompt tokens, of which 1,000 are audio; 900 output tokens, of which 700 are spoken:",
                "1.200 istem token'ı, bunların 1.000'i ses; 900 çıktı token'ı, bunların 700'ü sesli yanıt:"),
            new UsageCounts(1_200, 900) { AudioPromptTokens = 1_000, AudioCompletionTokens = 700 }),
        new("openai/gpt-image-1", new("An image, billed by its tokens.", "Token'larıyla faturalanan bir görsel."),
            new("a 40-token prompt and one 1024×1024 image at high quality, which the provider reports as 4,160 image output tokens:",
                "40 token'lık bir istem ve sağlayıcının 4.160 görsel çıktı token'ı olarak bildirdiği yüksek kalitede 1024×1024 bir görsel:"),
            new UsageCounts(40, 4_160, Images: 1) { ImageCompletionTokens = 4_160, ImageVariant = "1024x1024/high" }),
        new("google/gemini-2.5-flash", new("Audio, cache, thinking and a grounded answer.", "Ses, önbellek, düşünme ve temellendirilmiş bir yanıt."),
            new("1,300 prompt tokens, of which 256 from the cache and 800 audio; 240 output tokens, of which 200 thinking; grounded with Google Search:",
                "1.300 istem token'ı, bunların 256'sı önbellekten, 800'ü ses; 240 çıktı token'ı, bunların 200'ü düşünme; Google Search ile temellendirilmiş:"),
            new UsageCounts(1_300, 240, CachedPromptTokens: 256, ReasoningTokens: 200) { AudioPromptTokens = 800, WebSearches = 1 }),
    ];
}
