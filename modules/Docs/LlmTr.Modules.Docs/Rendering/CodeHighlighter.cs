using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace LlmTr.Modules.Docs.Rendering;

/// <summary>
/// A small server-side highlighter for the languages the examples use: comments, strings, numbers and keywords
/// become spans with CSS classes, so pages need no script or outside asset to show highlighted code. Hand-rolled
/// because the examples need only this much, and nothing may be fetched at run time.
/// </summary>
internal static partial class CodeHighlighter
{
    private static readonly Dictionary<string, Regex> Grammars = new(StringComparer.OrdinalIgnoreCase)
    {
        ["bash"] = Shell(),
        ["sh"] = Shell(),
        ["python"] = Python(),
        ["javascript"] = JavaScript(),
        ["js"] = JavaScript(),
        ["csharp"] = CSharp(),
        ["cs"] = CSharp(),
        ["json"] = Json(),
        ["http"] = Http(),
    };

    private static readonly string[] Kinds = ["comment", "string", "key", "number", "keyword"];

    /// <summary>The code as HTML: encoded, with tokens of a known language wrapped in <c>&lt;span class="tok-…"&gt;</c>.</summary>
    public static string Highlight(string code, string language)
    {
        if (!Grammars.TryGetValue(language, out var grammar))
        {
            return WebUtility.HtmlEncode(code);
        }

        var html = new StringBuilder(code.Length * 2);
        var at = 0;
        foreach (Match match in grammar.Matches(code))
        {
            html.Append(WebUtility.HtmlEncode(code[at..match.Index]));
            var kind = Kinds.First(k => match.Groups[k].Success);
            html.Append("<span class=\"tok-").Append(kind).Append("\">").Append(WebUtility.HtmlEncode(match.Value)).Append("</span>");
            at = match.Index + match.Length;
        }

        return html.Append(WebUtility.HtmlEncode(code[at..])).ToString();
    }

    [GeneratedRegex("""(?<comment>(?<![\w$])#[^\n]*)|(?<string>"(?:[^"\\]|\\.)*"|'[^']*')|(?<key>(?<=\s)-{1,2}[A-Za-z][\w-]*)|(?<number>\b\d+(?:\.\d+)?\b)|(?<keyword>\b(?:curl|export|echo|npm|pip|dotnet|install|add|package)\b)""")]
    private static partial Regex Shell();

    [GeneratedRegex("""(?<comment>#[^\n]*)|(?<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(?<key>(?!))|(?<number>\b\d+(?:\.\d+)?\b)|(?<keyword>\b(?:import|from|as|def|return|for|in|if|else|elif|with|print|None|True|False|and|or|not|class|try|except)\b)""")]
    private static partial Regex Python();

    [GeneratedRegex("""(?<comment>//[^\n]*|/\*[\s\S]*?\*/)|(?<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)|(?<key>(?!))|(?<number>\b\d+(?:\.\d+)?\b)|(?<keyword>\b(?:import|from|const|let|var|await|async|new|return|for|of|if|else|function|true|false|null|undefined|process)\b)""")]
    private static partial Regex JavaScript();

    [GeneratedRegex("""(?<comment>//[^\n]*|/\*[\s\S]*?\*/)|(?<string>@?\$?"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)')|(?<key>(?!))|(?<number>\b\d+(?:\.\d+)?[mMdDfF]?\b)|(?<keyword>\b(?:using|var|new|await|async|return|foreach|for|in|if|else|string|int|bool|true|false|null|class|record|public|static|void)\b)""")]
    private static partial Regex CSharp();

    [GeneratedRegex("""(?<comment>(?!))|(?<key>"(?:[^"\\\n]|\\.)*"(?=\s*:))|(?<string>"(?:[^"\\\n]|\\.)*")|(?<number>-?\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b)|(?<keyword>\b(?:true|false|null)\b)""")]
    private static partial Regex Json();

    [GeneratedRegex("""(?<comment>(?!))|(?<string>(?!))|(?<key>^[A-Za-z-]+(?=:)|^(?:GET|POST|PUT|DELETE)\b)|(?<number>\b\d{3}\b)|(?<keyword>HTTP/\d(?:\.\d)?)""", RegexOptions.Multiline)]
    private static partial Regex Http();
}
