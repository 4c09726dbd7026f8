using System.Net;
using System.Text.RegularExpressions;

namespace LlmTr.IntegrationTests.Docs;

/// <summary>Just enough HTML reading for the docs tests: the article, table rows as cell texts, links and ids.</summary>
internal static partial class Html
{
    public static string Article(string page) => ArticlePattern().Match(page) is { Success: true } match
        ? match.Groups["body"].Value
        : throw new Xunit.Sdk.XunitException("The page has no docs article.");

    /// <summary>Every table row of the fragment as its cells' plain text (header rows included).</summary>
    public static List<string[]> Rows(string html) =>
        RowPattern().Matches(html).Select(row => CellPattern().Matches(row.Groups["cells"].Value).Select(c => Text(c.Groups["text"].Value)).ToArray()).ToList();

    public static string Text(string html) => WebUtility.HtmlDecode(TagPattern().Replace(html, "")).Trim();

    public static IEnumerable<string> Links(string html) => LinkPattern().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups["href"].Value));

    public static HashSet<string> Ids(string html) => IdPattern().Matches(html).Select(m => m.Groups["id"].Value).ToHashSet();

    public static IEnumerable<(int Level, string Id)> Headings(string html) =>
        HeadingPattern().Matches(html).Select(m => (int.Parse(m.Groups["level"].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups["id"].Value));

    [GeneratedRegex("""<article class="llmtr-docs-article">(?<body>[\s\S]*?)</article>""")]
    private static partial Regex ArticlePattern();

    [GeneratedRegex("""<tr>(?<cells>[\s\S]*?)</tr>""")]
    private static partial Regex RowPattern();

    [GeneratedRegex("""<t[dh][^>]*>(?<text>[\s\S]*?)</t[dh]>""")]
    private static partial Regex CellPattern();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"<a [^>]*href=""(?<href>[^""]*)""")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"\sid=""(?<id>[^""]+)""")]
    private static partial Regex IdPattern();

    [GeneratedRegex("""<h(?<level>[23]) id="(?<id>[^"]+)">""")]
    private static partial Regex HeadingPattern();
}
