namespace LlmTr.Modules.Docs.Contracts;

/// <summary>
/// The developer documentation, every page in English and Turkish, rendered to HTML with its table of contents.
/// Pages whose content comes from live data (the model table) follow the catalog.
/// </summary>
public interface IDocumentation
{
    /// <summary>The pages of one language in reading order, the docs home first; empty for a language there is none in.</summary>
    IReadOnlyList<DocPageLink> Pages(string language);

    /// <summary>One page, or null when there is no such page in that language.</summary>
    Task<DocPage?> GetAsync(string language, string slug, CancellationToken cancellationToken = default);
}

/// <summary>A page as navigation shows it. <see cref="Url"/> is the page's own address (<c>/docs/tr/errors</c>).</summary>
public sealed record DocPageLink(string Language, string Slug, string Title, string Url);

/// <summary>A rendered page: trusted HTML made from the module's own Markdown, and its headings for the table of contents.</summary>
public sealed record DocPage(DocPageLink Link, string Html, IReadOnlyList<DocHeading> Headings);

/// <summary>A section heading: its level (2 or 3), its anchor id on the page, and its text.</summary>
public sealed record DocHeading(int Level, string Id, string Text);

/// <summary>The documentation's addresses, built in one place.</summary>
public static class DocsPaths
{
    public const string Root = "/docs";
    public const string Home = "index";
    public const string SearchIndexRoot = "/api/docs/search-index";

    public static IReadOnlyList<string> Languages { get; } = ["en", "tr"];

    /// <summary>The docs home is <c>/docs/{language}</c>; every other page <c>/docs/{language}/{slug}</c>.</summary>
    public static string Page(string language, string slug) =>
        slug == Home ? $"{Root}/{language}" : $"{Root}/{language}/{slug}";

    /// <summary>The client-side search index of one language.</summary>
    public static string SearchIndex(string language) => $"{SearchIndexRoot}/{language}";
}
