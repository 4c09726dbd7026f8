using System.Reflection;
using LlmTr.Modules.Docs.Contracts;

namespace LlmTr.Modules.Docs.Content;

/// <summary>
/// The pages' Markdown, embedded in this assembly as <c>docs/{language}/{slug}.md</c>, in reading order. Every page
/// exists in every language: a missing translation stops the host at start rather than showing a gap.
/// </summary>
internal sealed class DocsContent
{
    /// <summary>The pages in reading order; the home first.</summary>
    public static IReadOnlyList<string> Slugs { get; } =
    [
        DocsPaths.Home, "quickstart", "faq", "chat-completions", "responses-api", "anthropic-messages", "agents", "streaming", "tools", "multimodal", "models", "errors",
        "api-keys", "account", "organisations", "dashboard", "pricing", "data-processing", "data-residency", "routing", "rate-limits", "production", "going-live", "api-reference", "configuration", "capacity", "changelog",
    ];

    private readonly Dictionary<(string Language, string Slug), string> _markdown = [];

    public DocsContent()
    {
        var assembly = typeof(DocsContent).Assembly;
        foreach (var language in DocsPaths.Languages)
        {
            foreach (var slug in Slugs)
            {
                _markdown[(language, slug)] = Read(assembly, $"docs/{language}/{slug}.md")
                    ?? throw new InvalidOperationException($"The {language} documentation has no page '{slug}'.");
            }
        }
    }

    /// <summary>The names of every embedded page, to prove none is left out of <see cref="Slugs"/>.</summary>
    public static IEnumerable<string> EmbeddedPages() =>
        typeof(DocsContent).Assembly.GetManifestResourceNames().Where(n => n.StartsWith("docs/", StringComparison.Ordinal) && n.EndsWith(".md", StringComparison.Ordinal));

    public string? Markdown(string language, string slug) => _markdown.GetValueOrDefault((language, slug));

    /// <summary>A page's title: its first level-one heading.</summary>
    public string Title(string language, string slug) =>
        Markdown(language, slug)!.Split('\n').First(line => line.StartsWith("# ", StringComparison.Ordinal))[2..].Trim();

    internal static string? Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
