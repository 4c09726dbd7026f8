using System.Collections.Concurrent;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Docs.Contracts;
using LlmTr.Modules.Docs.Generated;
using LlmTr.Modules.Docs.Rendering;

namespace LlmTr.Modules.Docs.Content;

/// <summary>
/// The rendered documentation. A page is rendered once and kept; a page with the live model table is rendered again
/// after the catalog changed. Rendering is pure, so two requests racing to render a page both get the same result.
/// </summary>
internal sealed class DocsLibrary(DocsContent content, GeneratedSections sections, IModelCatalog catalog) : IDocumentation
{
    private readonly ConcurrentDictionary<(string Language, string Slug), RenderedPage> _pages = new();
    private readonly Dictionary<string, IReadOnlyList<DocPageLink>> _links = DocsPaths.Languages.ToDictionary(
        language => language,
        language => (IReadOnlyList<DocPageLink>)DocsContent.Slugs.Select(slug => new DocPageLink(language, slug, content.Title(language, slug), DocsPaths.Page(language, slug))).ToList());

    public IReadOnlyList<DocPageLink> Pages(string language) => _links.GetValueOrDefault(language) ?? [];

    public async Task<DocPage?> GetAsync(string language, string slug, CancellationToken cancellationToken = default) =>
        (await RenderAsync(language, slug, cancellationToken))?.Page;

    /// <summary>Every page of one language with its plain text, for the search index.</summary>
    public async Task<IReadOnlyList<RenderedPage>> AllAsync(string language, CancellationToken cancellationToken)
    {
        var pages = new List<RenderedPage>();
        foreach (var link in Pages(language))
        {
            pages.Add((await RenderAsync(language, link.Slug, cancellationToken))!);
        }

        return pages;
    }

    private async Task<RenderedPage?> RenderAsync(string language, string slug, CancellationToken cancellationToken)
    {
        if (content.Markdown(language, slug) is not { } markdown)
        {
            return null;
        }

        var stamp = GeneratedSections.DependsOnCatalog(markdown) ? catalog.Current.Version : 0;
        if (_pages.TryGetValue((language, slug), out var cached) && cached.Stamp == stamp)
        {
            return cached;
        }

        var link = Pages(language).Single(p => p.Slug == slug);
        var rendered = DocsMarkdown.Render(await sections.ExpandAsync(markdown, language, cancellationToken), language, link.Url);
        var page = new RenderedPage(new DocPage(link, rendered.Html, rendered.Headings), rendered.Text, stamp);
        _pages[(language, slug)] = page;
        return page;
    }
}

/// <param name="Stamp">The catalog version the page was rendered at, or 0 when it does not show catalog data.</param>
internal sealed record RenderedPage(DocPage Page, string Text, long Stamp);
