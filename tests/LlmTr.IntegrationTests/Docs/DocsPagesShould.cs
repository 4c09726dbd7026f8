using System.Net;
using System.Text.Json;
using LlmTr.IntegrationTests.Catalog;
using LlmTr.Modules.Docs.Content;
using LlmTr.Modules.Docs.Contracts;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Docs;

public sealed class DocsPagesShould(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    [Theory]
    [MemberData(nameof(DocsPages.All), MemberType = typeof(DocsPages))]
    public async Task RenderEveryPageInBothLanguagesWithAContentsTableAndAnchoredHeadings(string language, string slug)
    {
        var url = DocsPaths.Page(language, slug);
        var page = await fixture.Host.PageAsync(url);

        Assert.Contains($"<html lang=\"{language}\"", page, StringComparison.Ordinal);
        var article = Html.Article(page);
        Assert.Contains("<h1", article, StringComparison.Ordinal);
        var headings = Html.Headings(article).ToList();
        Assert.NotEmpty(headings);
        foreach (var (_, id) in headings)
        {
            Assert.Contains($"href=\"{url}#{id}\" aria-label=", article, StringComparison.Ordinal); // the heading's own anchor
            Assert.Contains($"<li class=\"llmtr-toc-level-", page, StringComparison.Ordinal);
            Assert.Contains($"<a href=\"{url}#{id}\">", page, StringComparison.Ordinal); // its entry in the table of contents
        }

        Assert.DoesNotContain("{{", article, StringComparison.Ordinal); // every generated section was filled in
    }

    [Theory]
    [MemberData(nameof(DocsPages.All), MemberType = typeof(DocsPages))]
    public async Task BeWrittenInEachLanguageRatherThanCopied(string language, string slug)
    {
        var other = language == "en" ? "tr" : "en";
        var documentation = fixture.Host.Services.GetRequiredService<IDocumentation>();

        var text = Html.Text(Html.Article(await fixture.Host.PageAsync(DocsPaths.Page(language, slug))));
        var otherText = Html.Text(Html.Article(await fixture.Host.PageAsync(DocsPaths.Page(other, slug))));

        Assert.NotEqual(otherText, text);
        Assert.NotEqual(documentation.Pages(other).Single(p => p.Slug == slug).Title, documentation.Pages(language).Single(p => p.Slug == slug).Title);
    }

    [Fact]
    public void EmbedEveryPageItListsAndListEveryPageItEmbeds()
    {
        var embedded = DocsContent.EmbeddedPages().Order().ToList();
        var listed = DocsPaths.Languages.SelectMany(l => DocsContent.Slugs.Select(s => $"docs/{l}/{s}.md")).Order().ToList();

        Assert.Equal(listed, embedded);
    }

    [Theory]
    [InlineData("tr", "/docs/tr")]
    [InlineData("en", "/docs/en")]
    [InlineData("de", "/docs/en")]
    public async Task SendDocsVisitorsToTheHomeInTheirLanguage(string acceptLanguage, string expected)
    {
        using var client = fixture.Host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(acceptLanguage);

        var response = await client.GetAsync(new Uri("/docs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location!.AbsolutePath);
    }

    [Theory]
    [InlineData("/docs/en/no-such-page")]
    [InlineData("/docs/de/quickstart")]
    [InlineData("/docs/de")]
    public async Task AnswerNotFoundForAPageOrLanguageThatDoesNotExist(string url)
    {
        using var client = fixture.Host.CreateClient();

        var response = await client.GetAsync(new Uri(url, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task LeaveNoBrokenLinkWhenCrawledFromTheIndex()
    {
        using var client = fixture.Host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var pages = new Dictionary<string, string>(); // docs path → its HTML
        var queue = new Queue<string>(DocsPaths.Languages.Select(l => DocsPaths.Page(l, DocsPaths.Home)));
        var links = new List<(string From, string Href)>();
        while (queue.TryDequeue(out var path))
        {
            if (pages.ContainsKey(path))
            {
                continue;
            }

            var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}");
            var html = await response.Content.ReadAsStringAsync();
            pages[path] = html;
            foreach (var href in Html.Links(html).Where(h => h.StartsWith('/') && !h.StartsWith("//", StringComparison.Ordinal)))
            {
                links.Add((path, href));
                var target = href.Split('#')[0];
                if (target.StartsWith(DocsPaths.Root + "/", StringComparison.Ordinal) && !pages.ContainsKey(target))
                {
                    queue.Enqueue(target);
                }
            }
        }

        Assert.Equal(DocsPaths.Languages.Count * DocsContent.Slugs.Count, pages.Keys.Count(p => !p.EndsWith("/" + DocsPaths.Home, StringComparison.Ordinal)));
        foreach (var (from, href) in links.DistinctBy(l => l.Href))
        {
            var parts = href.Split('#', 2);
            if (pages.TryGetValue(parts[0], out var target))
            {
                Assert.True(parts.Length == 1 || Html.Ids(target).Contains(parts[1]), $"{from} links to {href}, which has no such anchor");
                continue;
            }

            var response = await client.GetAsync(new Uri(parts[0], UriKind.Relative));
            Assert.True((int)response.StatusCode < 400, $"{from} links to {href}, which answered {(int)response.StatusCode}");
        }
    }

    [Theory]
    [InlineData("en")]
    [InlineData("tr")]
    public async Task IndexEveryPageForSearch(string language)
    {
        using var index = JsonDocument.Parse(await fixture.Host.PageAsync(DocsPaths.SearchIndex(language)));

        var entries = index.RootElement.EnumerateArray().ToList();
        Assert.Equal(DocsContent.Slugs.Select(s => DocsPaths.Page(language, s)), entries.Select(e => e.GetProperty("url").GetString()));
        Assert.All(entries, e =>
        {
            Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("title").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("text").GetString()));
        });
        var errors = entries.Single(e => e.GetProperty("url").GetString() == DocsPaths.Page(language, "errors"));
        Assert.Contains("insufficient_credits", errors.GetProperty("text").GetString(), StringComparison.Ordinal); // generated sections are searchable too
    }

}
