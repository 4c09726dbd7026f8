using System.Text;

namespace LlmTr.Modules.Docs.Generated;

/// <summary>Builds the pipe tables of generated sections; every cell is escaped, so data can never become markup.</summary>
internal sealed class MarkdownTable
{
    private readonly StringBuilder _text = new();

    public MarkdownTable(params string[] headers)
    {
        _text.Append("| ").AppendJoin(" | ", headers.Select(Escape)).Append(" |\n");
        _text.Append('|').Append(string.Concat(Enumerable.Repeat("---|", headers.Length))).Append('\n');
    }

    /// <summary>A row of plain text cells.</summary>
    public MarkdownTable Row(params string[] cells) => RawRow(cells.Select(Escape).ToArray());

    /// <summary>A row of cells that are already Markdown (made with <see cref="Code"/>, <see cref="Link"/> or <see cref="Escape"/>).</summary>
    public MarkdownTable RawRow(params string[] cells)
    {
        _text.Append("| ").AppendJoin(" | ", cells).Append(" |\n");
        return this;
    }

    public override string ToString() => _text.ToString();

    /// <summary>Plain text with every Markdown-significant character escaped.</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text.ReplaceLineEndings(" "))
        {
            if (@"\`*_{}[]<>()#+-!|~".Contains(c, StringComparison.Ordinal))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    /// <summary>Text in a code span (a backtick inside is replaced: the values shown never need one).</summary>
    public static string Code(string text) => "`" + text.Replace('`', '\'').Replace("|", "\\|", StringComparison.Ordinal) + "`";

    public static string Link(string text, string url) => $"[{Escape(text)}]({url})";
}
