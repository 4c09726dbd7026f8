using Bunit;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Docs.Contracts;
using LlmTr.Web.ModelPages;
using LlmTr.Web.Pages.Models;
using LlmTr.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LlmTr.Web.Tests.ModelPages;

/// <summary>
/// Catalog cards and model pages for media models (priced per image or audio minute, no context window) and in
/// Turkish: the data path's own Turkish text, English where none is written yet, and Turkish numbers.
/// </summary>
public sealed class TurkishCatalogShould : WebTestContext
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Since = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly DataPathHop Gateway = new(
        "LLMTR gateway", "TR", "Istanbul", "Authenticates and routes", "Metadata only", false, HopRetention.MetadataOnly,
        PurposeTr: "Kimliği doğrular ve yönlendirir", RetentionTr: "Yalnızca üst veri");

    private static readonly DataPathHop OpenAi = new("OpenAI", "US", null, "Runs the model", "Up to 30 days for abuse monitoring", false);

    public TurkishCatalogShould()
    {
        Services.AddSingleton<IModelCatalog>(new Catalog());
        var clock = new FakeTimeProvider(Now);
        Services.AddSingleton<TimeProvider>(clock);
        Services.AddSingleton<IDocumentation>(new TestDocumentation());
        AddModelStatus(clock);
    }

    [Theory]
    [InlineData("openai/gpt-image-1", "Per image", "0.04 USD")]
    [InlineData("openai/whisper-1", "Per audio minute", "0.006 USD")]
    public void PriceAMediaModelPerItsOwnUnitNeverAsNotPriced(string id, string unit, string amount)
    {
        var card = RenderCard(id);

        Assert.DoesNotContain("Not priced", card.Markup, StringComparison.Ordinal);
        var price = card.Find(".llmtr-unit-price");
        Assert.Equal(amount, price.TextContent.Trim());
        Assert.Equal(unit, price.PreviousElementSibling!.TextContent.Trim());
    }

    [Fact]
    public void SayNotPricedOnlyWithoutAnyPriceInForce()
    {
        var card = RenderCard("openai/announced");

        Assert.Equal("Not priced", card.Find(".llmtr-no-price").TextContent.Trim());
        Assert.Empty(card.FindAll(".llmtr-input-price"));
    }

    [Fact]
    public void ShowOnlyTheTokenPricesAModelHas()
    {
        var card = RenderCard("openai/text-embedding-3-small");

        Assert.Equal("0.02 USD", card.Find(".llmtr-input-price").TextContent.Trim());
        Assert.Empty(card.FindAll(".llmtr-output-price"));
        Assert.Empty(card.FindAll(".llmtr-no-price"));
    }

    [Theory]
    [InlineData("openai/gpt-image-1")]
    [InlineData("openai/whisper-1")]
    [InlineData("openai/text-embedding-3-small")]
    public void HideTheContextLengthWhereItMeansNothing(string id)
    {
        Assert.Empty(RenderCard(id).FindAll(".llmtr-context-length"));
        Assert.Empty(RenderPage(id).FindAll(".llmtr-context-length"));
    }

    [Fact]
    public void ShowTheSameOperationsOnTheCardAsOnTheModelPage()
    {
        var card = RenderCard("openai/gpt-4o").Find(".llmtr-operations").TextContent.Trim();
        var page = RenderPage("openai/gpt-4o").Find(".llmtr-operations").TextContent.Trim();

        Assert.Equal("Chat, Streaming, Tool calling", card);
        Assert.Equal(card, page);
    }

    [Fact]
    public void ShowTheDataPathsTurkishTextOnTurkishPagesAndEnglishWhereNoneIsWritten()
    {
        using var turkish = new CultureScope("tr");

        var page = RenderPage("openai/gpt-4o");

        Assert.Equal(["Kimliği doğrular ve yönlendirir", "Runs the model"], page.FindAll(".llmtr-hop-purpose").Select(e => e.TextContent.Trim()));
        Assert.Equal(["Yalnızca üst veri", "Up to 30 days for abuse monitoring"], page.FindAll(".llmtr-hop-retention").Select(e => e.TextContent.Trim()));
    }

    [Fact]
    public void ShowTheDataPathsEnglishTextOnEnglishPages()
    {
        var page = RenderPage("openai/gpt-4o");

        Assert.Equal(["Authenticates and routes", "Runs the model"], page.FindAll(".llmtr-hop-purpose").Select(e => e.TextContent.Trim()));
    }

    [Fact]
    public void WriteNumbersTheTurkishWayOnTurkishPages()
    {
        using var turkish = new CultureScope("tr");

        var card = RenderCard("openai/gpt-4o");

        Assert.Equal("128.000 token", card.Find(".llmtr-context-length").TextContent.Trim());
        Assert.Equal("2,50 USD", card.Find(".llmtr-input-price").TextContent.Trim());
        Assert.Equal("0,075 USD", RenderCard("openai/cheap").Find(".llmtr-input-price").TextContent.Trim());
    }

    private IRenderedComponent<ModelCard> RenderCard(string id)
    {
        var snapshot = Services.GetRequiredService<IModelCatalog>().Current;
        var model = snapshot.FindModel(id)!;
        return Render<ModelCard>(parameters => parameters.Add(p => p.Model, model).Add(p => p.Provider, snapshot.FindProvider(model.ProviderId)).Add(p => p.At, Now));
    }

    private IRenderedComponent<ModelPage> RenderPage(string id) =>
        Render<ModelPage>(parameters => parameters.Add(p => p.ProviderSegment, id.Split('/')[0]).Add(p => p.ModelSegment, id.Split('/')[1]));

    private sealed class Catalog : IModelCatalog
    {
        public CatalogSnapshot Current { get; } = new(1,
            [new CatalogProvider("openai", "OpenAI", ApiProtocol.OpenAi, "https://openai.example/v1", "US", null,
                new LocalizedText("Processed by OpenAI.", "OpenAI tarafından işlenir."), ProviderStatus.Active)],
            [
                Model("openai/gpt-4o", 128_000, ["chat", "streaming", "tools"], [Price(PriceUnit.InputTokensPerMillion, 2.50m), Price(PriceUnit.OutputTokensPerMillion, 10m)]),
                Model("openai/cheap", 128_000, ["chat"], [Price(PriceUnit.InputTokensPerMillion, 0.075m)]),
                Model("openai/gpt-image-1", 32_000, ["image_generation"], [Price(PriceUnit.Image, 0.04m)]),
                Model("openai/whisper-1", 1, ["transcription"], [Price(PriceUnit.AudioMinute, 0.006m)]),
                Model("openai/text-embedding-3-small", 8_191, ["embeddings"], [Price(PriceUnit.InputTokensPerMillion, 0.02m)]),
                Model("openai/announced", 8_192, ["chat"], [new ModelPrice(PriceUnit.InputTokensPerMillion, 1m, "USD", Now.AddDays(10))]),
            ]);

        private static ModelPrice Price(PriceUnit unit, decimal amount) => new(unit, amount, "USD", Since);

        private static CatalogModel Model(string id, int context, string[] operations, ModelPrice[] prices) =>
            new(id, "openai", id.Split('/')[1], id.Split('/')[1], new LocalizedText("A model.", "Bir model."), context, null, ["text"], ["text"],
                operations, [], ModelStatus.Active, ModelVisibility.Public, [], null, [Gateway, OpenAi], prices);
    }
}
