using Bunit;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Gateway.Contracts;
using LlmTr.Web.Pages.Requests;
using LlmTr.Web.Tests.Support;
using Microsoft.AspNetCore.Components;

namespace LlmTr.Web.Tests.Requests;

public sealed class RequestFiltersShould : WebTestContext
{
    private readonly List<UsageFilter> applied = [];

    public RequestFiltersShould() => Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));

    [Fact]
    public void ApplyTheModelAndDatesAsOneFilter()
    {
        var filters = RenderFilters();

        filters.Find("input[data-testid=filter-model], [data-testid=filter-model] input").Change("  openai/gpt-4o ");
        filters.Find("input[data-testid=filter-from], [data-testid=filter-from] input").Change("2026-05-01");
        filters.Find("input[data-testid=filter-to], [data-testid=filter-to] input").Change("2026-05-31");
        filters.Find("form").Submit();

        var filter = Assert.Single(applied);
        Assert.Equal(new UsageFilter(null, "openai/gpt-4o", new DateOnly(2026, 5, 1), new DateOnly(2026, 5, 31)), filter);
    }

    [Fact]
    public void RefuseABackwardsDateRangeWithAMessageOnTheField()
    {
        var filters = RenderFilters();

        filters.Find("input[data-testid=filter-from], [data-testid=filter-from] input").Change("2026-06-02");
        filters.Find("input[data-testid=filter-to], [data-testid=filter-to] input").Change("2026-06-01");
        filters.Find("form").Submit();

        Assert.Empty(applied);
        Assert.Contains("The start date is after the end date.", filters.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void OfferThePlaygroundAmongTheKeysAndClearBackToEverything()
    {
        var filters = RenderFilters();

        filters.Find("input[data-testid=filter-model], [data-testid=filter-model] input").Change("llmtr/demo");
        // The field's value reaches the form through MudBlazor's own asynchronous update: the button is enabled after it.
        filters.WaitForAssertion(() => Assert.False(filters.Find("button[data-testid=clear-filter], [data-testid=clear-filter] button").HasAttribute("disabled")));
        filters.Find("button[data-testid=clear-filter], [data-testid=clear-filter] button").Click();

        filters.WaitForAssertion(() => Assert.Single(applied));
        Assert.Equal(new UsageFilter(), Assert.Single(applied));
        Assert.Equal(PlaygroundKey.For("user-1"), new KeyNames("user-1", [], "Playground").PlaygroundKeyId);
        Assert.Equal("Playground", new KeyNames("user-1", [], "Playground").Of(PlaygroundKey.For("user-1")));
    }

    [Theory]
    [InlineData(" req_0193ABCDEF0123456789abcdef012345 ", "req_0193abcdef0123456789abcdef012345")]
    [InlineData("chatcmpl-req_0193abcdef0123456789abcdef012345", "req_0193abcdef0123456789abcdef012345")]
    [InlineData("req_123", null)]
    [InlineData("", null)]
    public void RecogniseRequestIdsAndCompletionIds(string text, string? expected) => Assert.Equal(expected, RequestIds.Normalize(text));

    private IRenderedComponent<RequestFilters> RenderFilters() => Render<RequestFilters>(p => p
        .Add(f => f.Names, new KeyNames("user-1", [FakeAccount.Key("ci", DateTimeOffset.UnixEpoch)], "Playground"))
        .Add(f => f.OnApply, (UsageFilter f) => applied.Add(f)));
}
