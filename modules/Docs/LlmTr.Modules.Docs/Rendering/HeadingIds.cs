using System.Globalization;
using System.Text;
using Markdig.Renderers.Html;
using Markdig.Syntax;

namespace LlmTr.Modules.Docs.Rendering;

/// <summary>
/// Anchor ids for headings: lower-case ASCII words joined by dashes, Turkish letters written plainly ("Sağlayıcıya
/// özgü alanlar" → <c>saglayiciya-ozgu-alanlar</c>), so links to sections read well and are typed easily in both languages.
/// </summary>
internal static class HeadingIds
{
    private static readonly Dictionary<char, string> Plain = new()
    {
        ['ç'] = "c", ['ğ'] = "g", ['ı'] = "i", ['ö'] = "o", ['ş'] = "s", ['ü'] = "u", ['â'] = "a", ['î'] = "i", ['û'] = "u",
    };

    public static void Assign(MarkdownDocument document)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            var id = For(DocsMarkdown.InlineText(heading.Inline));
            var unique = id;
            for (var n = 2; !used.Add(unique); n++)
            {
                unique = $"{id}-{n}";
            }

            heading.GetAttributes().Id = unique;
        }
    }

    public static string For(string text)
    {
        var id = new StringBuilder(text.Length);
        foreach (var c in text.ToLower(CultureInfo.GetCultureInfo("tr")))
        {
            if (Plain.TryGetValue(c, out var plain))
            {
                id.Append(plain);
            }
            else if (char.IsAsciiLetterOrDigit(c))
            {
                id.Append(c);
            }
            else if (id.Length > 0 && id[^1] != '-')
            {
                id.Append('-');
            }
        }

        var result = id.ToString().Trim('-');
        return result.Length > 0 ? result : "section";
    }
}
