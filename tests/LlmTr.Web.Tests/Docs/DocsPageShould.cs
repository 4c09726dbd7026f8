using Bunit;
using LlmTr.Modules.Docs.Contracts;
using LlmTr.Web.Pages.Docs;
using LlmTr.Web.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Web.Tests.Docs;

public sealed class DocsPageShould : WebTestContext
{
    public DocsPageShould() => Services.AddSingleton<IDocumentation>(new TestDocumentation());

    [Fact]
    public void ShowThePageWithItsContentsAndThePageList()
    {
        var page = RenderPage("en", "errors");

        Assert.Equal("errors (en)", page.Find("article.llmtr-docs-article h1").TextContent);
        Assert.Equal(["/docs/en/errors#first", "/docs/en/errors#detail"], page.FindAll(".llmtr-docs-toc a").Select(a => a.GetAttribute("href")));
        Assert.Equal("llmtr-toc-level-3", page.FindAll(".llmtr-docs-toc li")[1].ClassName);
        Assert.Equal("On this page", page.Find(".llmtr-docs-toc-title").TextContent);
        var current = page.Find(".llmtr-docs-pages a[aria-current=page]");
        Assert.Equal("/docs/en/errors", current.GetAttribute("href"));
        Assert.Equal(new TestDocumentation().Pages("en").Count, page.FindAll(".llmtr-docs-pages a").Count);
    }

    [Fact]
    public void OfferTheSamePageInTheOtherLanguageThroughTheCultureSwitch()
    {
        var link = RenderPage("en", "errors").Find("a.llmtr-docs-language");

        Assert.Equal("/ui/culture?culture=tr&returnUrl=%2Fdocs%2Ftr%2Ferrors", link.GetAttribute("href"));
        Assert.Equal("tr", link.GetAttribute("hreflang"));
        Assert.Equal("false", link.GetAttribute("data-enhance-nav"));
        Assert.Equal("Türkçe", link.TextContent);
    }

    [Fact]
    public void PointTheSearchBoxAtItsLanguagesIndex()
    {
        var search = RenderPage("tr", DocsPaths.Home).Find("input#docs-search");

        Assert.Equal("/api/docs/search-index/tr", search.GetAttribute("data-index"));
        Assert.Equal("docs-search-results", search.GetAttribute("aria-controls"));
        Assert.False(string.IsNullOrEmpty(search.GetAttribute("data-no-results")));
    }

    [Fact]
    public void PutThePagesAndSearchBehindAButtonThatControlsTheSidebar()
    {
        var page = RenderPage("en", "errors");

        var button = page.Find("button.llmtr-docs-sidebar-button");
        Assert.Equal("button", button.GetAttribute("type"));
        Assert.Equal("false", button.GetAttribute("aria-expanded"));
        Assert.Equal("Pages and search", button.TextContent.Trim());
        var sidebar = page.Find($"#{button.GetAttribute("aria-controls")}");
        Assert.Equal("ASIDE", sidebar.TagName);
        Assert.NotNull(sidebar.QuerySelector("input#docs-search"));
        Assert.NotNull(sidebar.QuerySelector(".llmtr-docs-pages a[aria-current=page]"));
    }

    [Fact]
    public void AnswerNotFoundForAnUnknownPage()
    {
        var http = new DefaultHttpContext();

        var page = RenderPage("en", "no-such-page", http);

        Assert.Equal(StatusCodes.Status404NotFound, http.Response.StatusCode);
        Assert.Contains("There is no such documentation page.", page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("article"));
    }

    [Fact]
    public void SendTheBareDocsAddressToTheHomeInTheReadersLanguage()
    {
        var navigation = Services.GetRequiredService<Bunit.TestDoubles.BunitNavigationManager>();

        Render<DocsPage>();

        Assert.Equal("http://localhost/docs/en", navigation.Uri);
    }

    private IRenderedComponent<DocsPage> RenderPage(string language, string slug, HttpContext? http = null) =>
        Render<DocsPage>(parameters =>
        {
            parameters.Add(p => p.Language, language).Add(p => p.Slug, slug);
            if (http is not null)
            {
                parameters.AddCascadingValue(http);
            }
        });
}
