using System.Net;
using System.Text;
using LlmTr.Modules.Docs.Contracts;
using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace LlmTr.Modules.Docs.Rendering;

/// <summary>
/// Markdown to HTML for the docs: tables, heading anchors (<see cref="HeadingIds"/>), links
/// between pages made absolute, highlighted code with a copy button. Raw HTML in Markdown is shown as text, so
/// catalog text placed into generated tables can never become markup.
/// </summary>
internal static class DocsMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .DisableHtml()
        .Build();

    public static RenderedMarkdown Render(string markdown, string language, string pageUrl)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        HeadingIds.Assign(document);
        foreach (var link in document.Descendants<LinkInline>())
        {
            link.Url = ResolveLink(link.Url, language, pageUrl);
        }

        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.ObjectRenderers.Replace<Markdig.Renderers.Html.HeadingRenderer>(new AnchoredHeadingRenderer(language, pageUrl));
        renderer.ObjectRenderers.Replace<CodeBlockRenderer>(new HighlightedCodeBlockRenderer(language));
        renderer.Render(document);
        writer.Flush();

        var headings = document.Descendants<HeadingBlock>()
            .Where(h => h.Level is 2 or 3 && h.GetAttributes().Id is not null)
            .Select(h => new DocHeading(h.Level, h.GetAttributes().Id!, InlineText(h.Inline)))
            .ToList();
        return new RenderedMarkdown(writer.ToString(), headings, PlainText(document));
    }

    /// <summary>A link written relative to the docs (<c>errors</c>, <c>errors#codes</c>, <c>#codes</c>) as an absolute address.</summary>
    internal static string? ResolveLink(string? url, string language, string pageUrl)
    {
        if (string.IsNullOrEmpty(url) || url.StartsWith('/') || url.Contains("://", StringComparison.Ordinal) || url.StartsWith("mailto:", StringComparison.Ordinal))
        {
            return url;
        }

        if (url.StartsWith('#'))
        {
            return pageUrl + url;
        }

        var hash = url.IndexOf('#', StringComparison.Ordinal);
        var (slug, fragment) = hash < 0 ? (url, "") : (url[..hash], url[hash..]);
        return DocsPaths.Page(language, slug) + fragment;
    }

    /// <summary>Every paragraph, heading and table cell as plain text, for the search index (code is left out).</summary>
    private static string PlainText(MarkdownDocument document)
    {
        var text = new StringBuilder();
        foreach (var block in document.Descendants<LeafBlock>())
        {
            if (block is not CodeBlock && block.Inline is not null)
            {
                text.Append(InlineText(block.Inline)).Append(' ');
            }
        }

        return text.ToString().Trim();
    }

    internal static string InlineText(ContainerInline? container)
    {
        var text = new StringBuilder();
        Append(container, text);
        return text.ToString().Trim();

        static void Append(ContainerInline? container, StringBuilder text)
        {
            for (var inline = container?.FirstChild; inline is not null; inline = inline.NextSibling)
            {
                switch (inline)
                {
                    case LiteralInline literal:
                        text.Append(literal.Content.ToString());
                        break;
                    case CodeInline code:
                        text.Append(code.Content);
                        break;
                    case LineBreakInline:
                        text.Append(' ');
                        break;
                    case ContainerInline nested:
                        Append(nested, text);
                        break;
                }
            }
        }
    }

    /// <summary>Headings with a link to themselves after the text.</summary>
    private sealed class AnchoredHeadingRenderer(string language, string pageUrl) : HtmlObjectRenderer<HeadingBlock>
    {
        protected override void Write(HtmlRenderer renderer, HeadingBlock heading)
        {
            var tag = "h" + heading.Level.ToString(System.Globalization.CultureInfo.InvariantCulture);
            renderer.Write('<').Write(tag).WriteAttributes(heading).Write('>');
            renderer.WriteLeafInline(heading);
            if (heading.Level > 1 && heading.GetAttributes().Id is { } id)
            {
                var label = Words.In(language, "Link to this section", "Bu bölümün bağlantısı");
                renderer.Write($" <a class=\"llmtr-anchor\" href=\"{WebUtility.HtmlEncode(pageUrl)}#{id}\" aria-label=\"{label}\">#</a>");
            }

            renderer.Write("</").Write(tag).WriteLine(">");
        }
    }

    /// <summary>Code blocks highlighted on the server, under a bar with the language and a copy button (docs.js copies).</summary>
    private sealed class HighlightedCodeBlockRenderer(string language) : HtmlObjectRenderer<CodeBlock>
    {
        protected override void Write(HtmlRenderer renderer, CodeBlock block)
        {
            var code = block.Lines.ToString();
            var codeLanguage = (block as FencedCodeBlock)?.Info?.Trim() ?? "";
            renderer.EnsureLine();
            renderer.Write("<div class=\"llmtr-code\"><div class=\"llmtr-code-bar\"><span class=\"llmtr-code-language\">")
                .Write(WebUtility.HtmlEncode(codeLanguage))
                .Write("</span><button type=\"button\" class=\"llmtr-copy\" data-copied=\"")
                .Write(Words.In(language, "Copied", "Kopyalandı"))
                .Write("\">")
                .Write(Words.In(language, "Copy", "Kopyala"))
                .Write("</button></div><pre tabindex=\"0\"><code");
            if (codeLanguage.Length > 0)
            {
                renderer.Write(" class=\"language-").Write(WebUtility.HtmlEncode(codeLanguage)).Write('"');
            }

            renderer.Write('>').Write(CodeHighlighter.Highlight(code, codeLanguage)).WriteLine("</code></pre></div>");
        }
    }
}

internal sealed record RenderedMarkdown(string Html, IReadOnlyList<DocHeading> Headings, string Text);
