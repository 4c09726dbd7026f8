using Bunit;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Web.Pages.Admin.Catalog;
using LlmTr.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LlmTr.Web.Tests.Admin;

public sealed class ModelEditorShould : WebTestContext
{
    private readonly RecordingAdministration administration = new();

    public ModelEditorShould()
    {
        Services.AddSingleton<IModelCatalog>(new FixedCatalog(new CatalogSnapshot(1, [], [Model()])));
        Services.AddSingleton<ICatalogAdministration>(administration);
        Services.AddSingleton<IDeploymentAdministration>(new DeploymentEditorShould.RecordingDeployments());
        Services.AddSingleton(TimeProvider.System);
        Authorization.SetAuthorized("curator@llmtr.test");
        Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true)); // the price form waits for interactivity
        Render<MudPopoverProvider>();
    }

    [Fact]
    public void LoadTheModelIntoTheForm()
    {
        var editor = RenderEditor();

        Assert.Contains("Llama Test", editor.Find("h1").TextContent, StringComparison.Ordinal);
        Assert.Equal("llmtr/llama-test", editor.Find("input[value='llmtr/llama-test']").GetAttribute("value"));
        Assert.Contains("Istanbul", editor.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void ShowEachFieldsMessageWhenTheCatalogRefusesTheChange()
    {
        administration.Answer = new CatalogCommandResult(new Dictionary<string, string[]>
        {
            [nameof(ModelInput.ContextLength)] = ["The context length must be more than zero tokens."],
            ["DataPath[0].Country"] = ["Use the two-letter country code in capitals."],
        });
        var editor = RenderEditor();

        editor.FindAll("button").First(b => b.TextContent.Contains("Save", StringComparison.Ordinal)).Click();

        editor.WaitForAssertion(() =>
        {
            Assert.Contains("Nothing was saved", editor.Markup, StringComparison.Ordinal);
            Assert.Contains("The context length must be more than zero tokens.", editor.Markup, StringComparison.Ordinal);
            Assert.Contains("Use the two-letter country code in capitals.", editor.Markup, StringComparison.Ordinal);
        });
        Assert.Equal("curator@llmtr.test", administration.Actor);
        Assert.Equal("llmtr/llama-test", administration.Saved!.Id);
    }

    [Fact]
    public void SayTheChangeWasSavedWhenTheCatalogAcceptsIt()
    {
        var editor = RenderEditor();

        editor.FindAll("button").First(b => b.TextContent.Contains("Save", StringComparison.Ordinal)).Click();

        editor.WaitForAssertion(() => Assert.Contains("Saved. Every host shows the change within seconds.", editor.Markup, StringComparison.Ordinal));
        Assert.Equal(["TR", "TR"], administration.Saved!.DataPath.Select(h => h.Country));
        Assert.Equal([HopRetention.MetadataOnly, HopRetention.Nothing], administration.Saved!.DataPath.Select(h => h.Keeps)); // kept through the form
    }

    [Theory]
    [InlineData("en", "Per 1M input tokens")]
    [InlineData("tr", "1M girdi tokenı başına")]
    public void NamePriceUnitsInTheReadersLanguageAndSendTheUnitsName(string language, string unitName)
    {
        using var culture = new CultureScope(language);
        var editor = RenderEditor();

        var history = editor.Find("table").TextContent;
        Assert.Contains(unitName, history, StringComparison.Ordinal);
        Assert.DoesNotContain("InputTokensPerMillion", history, StringComparison.Ordinal);
        Assert.Equal(unitName, editor.Find("input[data-testid=price-unit], [data-testid=price-unit] input").GetAttribute("value"));

        editor.Find("[data-testid=add-price]").Click();

        editor.WaitForAssertion(() => Assert.Equal("InputTokensPerMillion", administration.Price?.Unit));
    }

    [Fact]
    public async Task AskForAnImagePricesSizeAndQualityAndSendItWithTheUnitOnly()
    {
        var editor = RenderEditor();
        Assert.Empty(editor.FindAll("[data-testid=price-variant]")); // token units have no variant

        var select = editor.FindComponent<PriceEditor>().FindComponent<MudSelect<string>>();
        await editor.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(nameof(PriceUnit.Image)));
        Field(editor, "price-variant").Change("1024x1536/high");
        editor.Find("[data-testid=add-price]").Click();

        editor.WaitForAssertion(() => Assert.Equal(("Image", "1024x1536/high"), (administration.Price?.Unit, administration.Price?.Variant)));

        administration.Answer = new CatalogCommandResult(new Dictionary<string, string[]>
        {
            [nameof(PriceInput.Variant)] = ["Write the size and quality as 1024x1024/high."],
        });
        Field(editor, "price-variant").Change("huge");
        editor.Find("[data-testid=add-price]").Click();
        editor.WaitForAssertion(() => Assert.Contains("Write the size and quality as 1024x1024/high.", editor.Markup, StringComparison.Ordinal));
        Assert.Equal("true", Field(editor, "price-variant").GetAttribute("aria-invalid")); // the message sits under the variant field

        await editor.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(nameof(PriceUnit.OutputTokensPerMillion)));
        administration.Answer = CatalogCommandResult.Ok;
        editor.Find("[data-testid=add-price]").Click();
        editor.WaitForAssertion(() => Assert.Equal(("OutputTokensPerMillion", null), (administration.Price?.Unit, administration.Price?.Variant)));
    }

    [Fact]
    public void EditEachHopsTurkishTextBesideItsEnglishOnItsOwnRow()
    {
        var editor = RenderEditor();

        Assert.Equal(2, editor.FindAll("[data-testid^=hop-purpose-en-]").Count);
        Assert.Equal("Runs the model", Field(editor, "hop-purpose-en-1").GetAttribute("value") ?? Field(editor, "hop-purpose-en-1").TextContent);
        Field(editor, "hop-purpose-tr-1").Change("Modeli çalıştırır");
        Field(editor, "hop-retention-tr-1").Change("Saklanmaz");
        editor.FindAll("button").First(b => b.TextContent.Contains("Save", StringComparison.Ordinal)).Click();

        editor.WaitForAssertion(() => Assert.NotNull(administration.Saved));
        var hop = administration.Saved!.DataPath[1];
        Assert.Equal(("Runs the model", "Modeli çalıştırır"), (hop.Purpose, hop.PurposeTr));
        Assert.Equal(("Not retained", "Saklanmaz"), (hop.Retention, hop.RetentionTr));
        Assert.Equal("", administration.Saved.DataPath[0].PurposeTr); // left empty: English shows on Turkish pages
    }

    [Fact]
    public void MoveAHopWithItsTextsAndLabelTheButtonsForScreenReaders()
    {
        var editor = RenderEditor();

        Assert.True(editor.Find("button[aria-label='Move hop 1 up']").HasAttribute("disabled"));
        editor.Find("button[aria-label='Move hop 1 down']").Click();
        editor.FindAll("button").First(b => b.TextContent.Contains("Save", StringComparison.Ordinal)).Click();

        editor.WaitForAssertion(() => Assert.NotNull(administration.Saved));
        Assert.Equal(["LLMTR inference", "LLMTR gateway"], administration.Saved!.DataPath.Select(h => h.Operator));
    }

    private static AngleSharp.Dom.IElement Field(IRenderedComponent<ModelEditor> editor, string testId) =>
        editor.Find($"textarea[data-testid={testId}], [data-testid={testId}] textarea, input[data-testid={testId}], [data-testid={testId}] input");

    private IRenderedComponent<ModelEditor> RenderEditor() =>
        Render<ModelEditor>(parameters => parameters.Add(p => p.Provider, "llmtr").Add(p => p.Model, "llama-test"));

    private static CatalogModel Model() => new(
        "llmtr/llama-test", "llmtr", "llama-test", "Llama Test", new LocalizedText("A test model.", "Bir test modeli."), 8_192, 1_024,
        ["text"], ["text"], ["chat"], ["temperature"], ModelStatus.Active, ModelVisibility.Public, [], null,
        [new DataPathHop("LLMTR gateway", "TR", "Istanbul", "Routes", "Metadata only", false, HopRetention.MetadataOnly),
         new DataPathHop("LLMTR inference", "TR", "Istanbul", "Runs the model", "Not retained", false, HopRetention.Nothing)],
        [new ModelPrice(PriceUnit.InputTokensPerMillion, 0.5m, "USD", DateTimeOffset.UnixEpoch)]);

    private sealed class FixedCatalog(CatalogSnapshot snapshot) : IModelCatalog
    {
        public CatalogSnapshot Current => snapshot;
    }

    /// <summary>Stands in for the catalog module: records what the page sent and answers as told.</summary>
    private sealed class RecordingAdministration : ICatalogAdministration
    {
        public CatalogCommandResult Answer { get; set; } = CatalogCommandResult.Ok;

        public ModelInput? Saved { get; private set; }

        public string? Actor { get; private set; }

        public Task<CatalogCommandResult> SaveModelAsync(ModelInput input, string actor, CancellationToken cancellationToken = default)
        {
            Saved = input;
            Actor = actor;
            return Task.FromResult(Answer);
        }

        public Task<CatalogCommandResult> SaveProviderAsync(ProviderInput input, string actor, CancellationToken cancellationToken = default) =>
            Task.FromResult(Answer);

        public PriceInput? Price { get; private set; }

        public Task<CatalogCommandResult> SetPriceAsync(PriceInput input, string actor, CancellationToken cancellationToken = default)
        {
            Price = input;
            return Task.FromResult(Answer);
        }

        public Task<IReadOnlyList<CatalogChangeEntry>> HistoryAsync(int take, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<CatalogChangeEntry>>([]);
    }
}
