using LlmTr.Modules.Docs.Contracts;

namespace LlmTr.Web.Tests.Support;

/// <summary>A small documentation in both languages: every page has one section and one subsection.</summary>
public sealed class TestDocumentation : IDocumentation
{
    private static readonly string[] Slugs = [DocsPaths.Home, "quickstart", "chat-completions", "streaming", "tools", "multimodal", "models", "errors", "pricing", "data-processing", "rate-limits"];

    public IReadOnlyList<DocPageLink> Pages(string language) => DocsPaths.Languages.Contains(language)
        ? Slugs.Select(slug => new DocPageLink(language, slug, Title(language, slug), DocsPaths.Page(language, slug))).ToList()
        : [];

    public Task<DocPage?> GetAsync(string language, string slug, CancellationToken cancellationToken = default)
    {
        var link = Pages(language).FirstOrDefault(p => p.Slug == slug);
        return Task.FromResult(link is null
            ? null
            : new DocPage(link, $"<h1>{link.Title}</h1><h2 id=\"first\">First</h2><p>Body of {slug}.</p><h3 id=\"detail\">Detail</h3>", [new(2, "first", "First"), new(3, "detail", "Detail")]));
    }

    public static string Title(string language, string slug) => $"{slug} ({language})";
}
