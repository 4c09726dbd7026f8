using Bunit;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Web.Pages.Admin.Catalog;
using LlmTr.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LlmTr.Web.Tests.Admin;

public sealed class CatalogAdminShould : WebTestContext
{
    private static readonly DateTimeOffset Since = TestCatalog.Now.AddDays(-30);

    public CatalogAdminShould()
    {
        Services.AddSingleton<IModelCatalog>(new Catalog());
        Services.AddSingleton<TimeProvider>(new FakeTimeProvider(TestCatalog.Now));
    }

    [Theory]
    [InlineData("en", "openai/gpt-image-1", "0.04 USD", "Per image")]
    [InlineData("en", "openai/whisper-1", "0.006 USD", "Per audio minute")]
    [InlineData("en", "openai/gpt-4o", "2.00 USD", "Per 1M input tokens")]
    [InlineData("tr", "openai/gpt-image-1", "0,04 USD", "Görsel başına")]
    [InlineData("tr", "openai/whisper-1", "0,006 USD", "Ses dakikası başına")]
    public void ListThePriceInForceInWhateverUnitTheModelIsPricedBy(string language, string model, string amount, string unit)
    {
        using var culture = new CultureScope(language);

        var price = PriceOf(Render<CatalogAdmin>(), model);

        Assert.StartsWith(amount, price, StringComparison.Ordinal);
        Assert.EndsWith(unit, price, StringComparison.Ordinal);
    }

    [Fact]
    public void ListThePriceNowInForceNotAnOlderOrAnnouncedOne()
    {
        var price = PriceOf(Render<CatalogAdmin>(), "openai/gpt-4o");

        Assert.StartsWith("2.00 USD", price, StringComparison.Ordinal); // not 3.00 (replaced) nor 1.00 (from next week)
    }

    [Fact]
    public void SayAModelWithoutAPriceInForceHasNone()
    {
        var price = PriceOf(Render<CatalogAdmin>(), "openai/announced");

        Assert.StartsWith("—", price, StringComparison.Ordinal);
        Assert.Contains("No price is in force for this model yet.", price, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "Active", "Public")]
    [InlineData("tr", "Etkin", "Herkese açık")]
    public void NameEachModelsStatusAndVisibilityInTheReadersLanguage(string language, string status, string visibility)
    {
        using var culture = new CultureScope(language);

        var row = Render<CatalogAdmin>().FindAll("[data-testid='admin-models'] tbody tr").Single(r => r.QuerySelector("code")?.TextContent == "openai/gpt-4o");
        var cells = row.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();

        Assert.Contains(status, cells);
        Assert.Contains(visibility, cells);
    }

    private static string PriceOf(IRenderedComponent<CatalogAdmin> page, string model) =>
        page.FindAll("[data-testid='admin-models'] tbody tr")
            .Single(row => row.QuerySelector("code")?.TextContent == model)
            .QuerySelector("[data-testid='admin-model-price']")!.TextContent.Trim();

    private sealed class Catalog : IModelCatalog
    {
        public CatalogSnapshot Current { get; } = new(1, [],
        [
            Model("openai/gpt-4o", [
                new ModelPrice(PriceUnit.InputTokensPerMillion, 3m, "USD", Since.AddDays(-30)),
                new ModelPrice(PriceUnit.InputTokensPerMillion, 2m, "USD", Since),
                new ModelPrice(PriceUnit.OutputTokensPerMillion, 8m, "USD", Since),
                new ModelPrice(PriceUnit.InputTokensPerMillion, 1m, "USD", TestCatalog.Now.AddDays(7))]),
            Model("openai/gpt-image-1", [new ModelPrice(PriceUnit.Image, 0.04m, "USD", Since)]),
            Model("openai/whisper-1", [new ModelPrice(PriceUnit.AudioMinute, 0.006m, "USD", Since)]),
            Model("openai/announced", [new ModelPrice(PriceUnit.InputTokensPerMillion, 1m, "USD", TestCatalog.Now.AddDays(7))]),
        ]);

        private static CatalogModel Model(string id, ModelPrice[] prices) =>
            new(id, "openai", id.Split('/')[1], id.Split('/')[1], new LocalizedText("A model.", "Bir model."), 8_192, null, ["text"], ["text"],
                ["chat"], [], ModelStatus.Active, ModelVisibility.Public, [], null, [], prices);
    }
}
