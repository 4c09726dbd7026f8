using Bunit;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Web.ModelPages;
using LlmTr.Web.Tests.Support;

namespace LlmTr.Web.Tests.ModelPages;

/// <summary>Issue 20: a model's page names every unit of its bill in words, image prices by size and quality.</summary>
public sealed class PriceListShould : WebTestContext
{
    private static readonly DateTimeOffset Earlier = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Revised = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly CatalogModel Image = new(
        "openai/gpt-image-1", "openai", "gpt-image-1", "GPT Image 1", new LocalizedText("Images.", "Görseller."), 32_000, null, ["text"], ["image"],
        ["image_generation"], [], ModelStatus.Active, ModelVisibility.Public, [], null, [],
        [
            new(PriceUnit.Image, 0.04m, "USD", Earlier),
            new(PriceUnit.Image, 0m, "USD", Revised), // the flat price ended: billed by tokens
            new(PriceUnit.Image, 0.167m, "USD", Revised, "1024x1024/high"),
            new(PriceUnit.Image, 0.25m, "USD", Revised, "1536x1024/high"),
            new(PriceUnit.InputTokensPerMillion, 5m, "USD", Revised),
            new(PriceUnit.ImageOutputTokensPerMillion, 40m, "USD", Revised),
            new(PriceUnit.CacheWrite1hTokensPerMillion, 10m, "USD", Revised),
            new(PriceUnit.WebSearch, 0.01m, "USD", Revised),
        ]);

    [Fact]
    public void NameEveryUnitAndImageVariantInWordsAndLeaveOutAnEndedPrice()
    {
        var list = Render<PriceList>(p => p.Add(c => c.Model, Image).Add(c => c.At, TestCatalog.Now));

        Assert.Equal(
            [
                "Per 1M input tokens|5.00 USD",
                "Per 1M tokens written to a 1-hour cache|10.00 USD",
                "Per 1M image output tokens|40.00 USD",
                "Per image (1024×1024, high quality)|0.167 USD",
                "Per image (1536×1024, high quality)|0.25 USD",
                "Per web search|0.01 USD",
            ],
            Rows(list));
    }

    [Fact]
    public void SayTheUnitsAndQualitiesInTurkish()
    {
        using var turkish = new CultureScope("tr");

        var list = Render<PriceList>(p => p.Add(c => c.Model, Image).Add(c => c.At, TestCatalog.Now));

        Assert.Contains("1 saatlik önbelleğe yazılan 1M token başına", list.Markup, StringComparison.Ordinal);
        Assert.Contains("Görsel başına (1024×1024, yüksek kalite)", Rows(list).Select(r => r.Split('|')[0]));
        Assert.Contains("Web araması başına", list.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void ShowTheOldFlatPriceBeforeItEnded()
    {
        var list = Render<PriceList>(p => p.Add(c => c.Model, Image).Add(c => c.At, Earlier.AddDays(1)));

        Assert.Equal(["Per image|0.04 USD"], Rows(list));
    }

    private static List<string> Rows(IRenderedComponent<PriceList> list) =>
        list.FindAll("table.llmtr-prices tbody tr")
            .Select(r => $"{r.QuerySelector("th")!.TextContent.Trim()}|{r.QuerySelector("td")!.TextContent.Trim()}")
            .ToList();
}
