using LlmTr.Modules.Docs.Generated;
using LlmTr.Modules.Docs.Rendering;

namespace LlmTr.UnitTests.Docs;

public sealed class DocsRenderingShould
{
    [Theory]
    [InlineData("Sağlayıcıya özgü alanlar", "saglayiciya-ozgu-alanlar")]
    [InlineData("API keys", "api-keys")]
    [InlineData("1. Create an API key", "1-create-an-api-key")]
    [InlineData("İstek gövdesi", "istek-govdesi")]
    [InlineData("POST /v1/chat/completions", "post-v1-chat-completions")]
    [InlineData("—", "section")]
    public void GivePlainAsciiIdsToHeadings(string heading, string id) => Assert.Equal(id, HeadingIds.For(heading));

    [Fact]
    public void NumberHeadingsThatWouldShareAnId()
    {
        var rendered = DocsMarkdown.Render("# T\n\n## Usage\n\n## Usage\n", "en", "/docs/en/x");

        Assert.Equal(["usage", "usage-2"], rendered.Headings.Select(h => h.Id));
    }

    [Theory]
    [InlineData("errors", "/docs/en/errors")]
    [InlineData("errors#error-table", "/docs/en/errors#error-table")]
    [InlineData("#fallbacks", "/docs/en/chat-completions#fallbacks")]
    [InlineData("index", "/docs/en")]
    [InlineData("/openapi/v1.json", "/openapi/v1.json")]
    [InlineData("https://llmtr.com/v1", "https://llmtr.com/v1")]
    public void MakeLinksBetweenPagesAbsolute(string link, string expected) =>
        Assert.Equal(expected, DocsMarkdown.ResolveLink(link, "en", "/docs/en/chat-completions"));

    [Fact]
    public void ShowRawHtmlAsText()
    {
        var rendered = DocsMarkdown.Render("# T\n\n<script>alert(1)</script> and <b>bold</b>\n", "en", "/docs/en/x");

        Assert.DoesNotContain("<script>", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", rendered.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void HighlightCodeAndPutACopyButtonOnIt()
    {
        var rendered = DocsMarkdown.Render("# T\n\n```json\n{\"a\": 1, \"b\": \"<x>\"}\n```\n", "tr", "/docs/tr/x");

        Assert.Contains("<button type=\"button\" class=\"llmtr-copy\" data-copied=\"Kopyalandı\">Kopyala</button>", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"tok-key\">&quot;a&quot;</span>", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"tok-number\">1</span>", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"tok-string\">&quot;&lt;x&gt;&quot;</span>", rendered.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void LetTheKeyboardReachCodeThatScrollsSideways()
    {
        var rendered = DocsMarkdown.Render("# T\n\n```bash\ncurl https://llmtr.example/v1/models\n```\n\n    indented code\n", "en", "/docs/en/x");

        Assert.Equal(2, rendered.Html.Split("<pre").Length - 1);
        Assert.Equal(2, rendered.Html.Split("<pre tabindex=\"0\">").Length - 1);
    }

    [Theory]
    [InlineData("python", "# note\nprint(\"hi\")", "<span class=\"tok-comment\"># note</span>")]
    [InlineData("csharp", "var x = new Uri(\"a\"); // why", "<span class=\"tok-comment\">// why</span>")]
    [InlineData("bash", "curl -H \"x\"", "<span class=\"tok-keyword\">curl</span>")]
    [InlineData("unknown", "<b>", "&lt;b&gt;")]
    public void HighlightEachLanguagesTokens(string language, string code, string expected) =>
        Assert.Contains(expected, CodeHighlighter.Highlight(code, language), StringComparison.Ordinal);

    [Fact]
    public void EscapeCatalogTextInGeneratedTables()
    {
        var rendered = DocsMarkdown.Render("# T\n\n" + new MarkdownTable("Name").Row("a | b *c* [d](e) <i>"), "en", "/docs/en/x");

        Assert.Contains("<td>a | b *c* [d](e) &lt;i&gt;</td>", rendered.Html, StringComparison.Ordinal);
    }
}
