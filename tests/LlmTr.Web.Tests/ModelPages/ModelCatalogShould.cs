using Bunit;
using LlmTr.Web.Pages.Models;
using LlmTr.Web.Tests.Account;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Web.Tests.ModelPages;

public sealed class ModelCatalogShould : ModelPageContext
{
    private static readonly string[] Listed = ["deepseek/deepseek-v4-flash", "openai/gpt-4o", "llmtr/llama-70b", "llmtr/demo"];

    [Fact]
    public void ListOnlyListedModelsByName()
    {
        var page = RenderCatalog("/models");

        Assert.Equal(Listed, ModelIds(page));
        Assert.Equal("4 models", page.Find(".llmtr-result-count").TextContent.Trim());
    }

    [Fact]
    public void ShowWhatADeveloperNeedsOnEachCard()
    {
        var page = RenderCatalog("/models?q=gpt-4o");

        var card = page.Find(".llmtr-model-card");
        Assert.Equal("/models/openai/gpt-4o", card.QuerySelector("h2 a")!.GetAttribute("href"));
        Assert.Equal("GPT-4o", card.QuerySelector("h2")!.TextContent.Trim());
        Assert.Equal("OpenAI", card.QuerySelector(".llmtr-model-provider")!.TextContent.Trim());
        Assert.Equal("Processed abroad (US)", card.QuerySelector(".llmtr-badge")!.TextContent.Trim());
        Assert.Contains("Text, Image", card.TextContent, StringComparison.Ordinal);
        Assert.Contains("128,000 tokens", card.TextContent, StringComparison.Ordinal);
        Assert.Equal("2.50 USD", card.QuerySelector(".llmtr-input-price")!.TextContent.Trim());
        Assert.Equal("10.00 USD", card.QuerySelector(".llmtr-output-price")!.TextContent.Trim());
    }

    [Fact]
    public void MarkTurkeyHostedModels()
    {
        var page = RenderCatalog("/models?q=llama");

        Assert.Equal("Hosted in Turkey", page.Find(".llmtr-badge").TextContent.Trim());
    }

    [Theory]
    [InlineData("/models?q=GPT", new[] { "openai/gpt-4o" })]
    [InlineData("/models?q=deepseek-v4", new[] { "deepseek/deepseek-v4-flash" })]
    [InlineData("/models?q=low-cost", new[] { "deepseek/deepseek-v4-flash" })]
    [InlineData("/models?q=OpenAI", new[] { "openai/gpt-4o" })]
    [InlineData("/models?hosted=true", new[] { "llmtr/llama-70b", "llmtr/demo" })]
    [InlineData("/models?modality=image", new[] { "openai/gpt-4o" })]
    [InlineData("/models?operation=tools", new[] { "openai/gpt-4o", "llmtr/llama-70b" })]
    [InlineData("/models?provider=llmtr", new[] { "llmtr/llama-70b", "llmtr/demo" })]
    [InlineData("/models?hosted=true&operation=tools", new[] { "llmtr/llama-70b" })]
    public void NarrowTheListByEachFilterAndTheSearch(string uri, string[] expected)
    {
        var page = RenderCatalog(uri);

        Assert.Equal(expected, ModelIds(page));
    }

    [Fact]
    public void SortByInputPriceCheapestFirst()
    {
        var page = RenderCatalog("/models?sort=price");

        Assert.Equal(["llmtr/demo", "deepseek/deepseek-v4-flash", "llmtr/llama-70b", "openai/gpt-4o"], ModelIds(page));
    }

    [Fact]
    public void SortByContextLengthLongestFirst()
    {
        var page = RenderCatalog("/models?sort=context");

        Assert.Equal(["llmtr/llama-70b", "openai/gpt-4o", "deepseek/deepseek-v4-flash", "llmtr/demo"], ModelIds(page));
    }

    [Theory]
    [InlineData("/models?hosted=maybe")]
    [InlineData("/models?modality=smell")]
    [InlineData("/models?operation=teleport")]
    [InlineData("/models?provider=nobody")]
    [InlineData("/models?sort=random")]
    [InlineData("/models?sort=7")]
    [InlineData("/models?q=&hosted=&modality=&operation=&provider=&sort=")]
    public void IgnoreValuesItDoesNotKnow(string uri)
    {
        var page = RenderCatalog(uri);

        Assert.Equal(Listed, ModelIds(page));
    }

    [Fact]
    public void SuggestClearingTheFiltersWhenNothingMatches()
    {
        var page = RenderCatalog("/models?q=no-such-model");

        Assert.Empty(page.FindAll(".llmtr-model-card"));
        var empty = page.Find(".llmtr-empty");
        Assert.Contains("No models match these filters", empty.TextContent, StringComparison.Ordinal);
        Assert.NotNull(empty.QuerySelector("a[href='/models']"));
    }

    [Fact]
    public void UseAGetFormWithALabelOnEveryControlThatKeepsTheChoices()
    {
        var page = RenderCatalog("/models?q=gpt&hosted=true&modality=image&operation=tools&provider=openai&sort=price");

        var form = page.Find("form");
        Assert.Equal("get", form.GetAttribute("method"));
        FormAssertions.EveryInputIsLabelled(form, expectedInputs: 2);
        foreach (var select in form.QuerySelectorAll("select"))
        {
            Assert.NotNull(form.QuerySelector($"label[for='{select.Id}']"));
        }

        Assert.Equal("gpt", page.Find("#models-q").GetAttribute("value"));
        Assert.True(page.Find("#models-hosted").HasAttribute("checked"));
        Assert.Equal("image", page.Find("#models-modality option[selected]").GetAttribute("value"));
        Assert.Equal("tools", page.Find("#models-operation option[selected]").GetAttribute("value"));
        Assert.Equal("openai", page.Find("#models-provider option[selected]").GetAttribute("value"));
        Assert.Equal("price", page.Find("#models-sort option[selected]").GetAttribute("value"));
    }

    [Fact]
    public void OfferOnlyProvidersWithListedModels()
    {
        var page = RenderCatalog("/models");

        var providers = page.FindAll("#models-provider option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Equal(["", "deepseek", "llmtr", "openai"], providers);
    }

    private IRenderedComponent<ModelCatalog> RenderCatalog(string uri)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(uri);
        return Render<ModelCatalog>();
    }

    private static List<string> ModelIds(IRenderedComponent<ModelCatalog> page) =>
        page.FindAll(".llmtr-model-card .llmtr-model-id").Select(id => id.TextContent).ToList();
}
