using System.Globalization;
using LlmTr.Modules.Docs.Rendering;
using LlmTr.SharedKernel;

namespace LlmTr.Modules.Docs.Generated;

/// <summary>The error table, one row per definition the API answers with.</summary>
internal static class ErrorTable
{
    public static string Markdown(string language)
    {
        var table = new MarkdownTable("HTTP", "error.type", "error.code", Words.In(language, "When", "Ne zaman"));
        foreach (var error in ApiErrors.All)
        {
            table.RawRow(
                error.Status.ToString(CultureInfo.InvariantCulture),
                MarkdownTable.Code(error.Type),
                error.Code is null ? "—" : MarkdownTable.Code(error.Code),
                Words.In(language, error.WhenEn, error.WhenTr)); // the definitions' own Markdown: code spans in backticks
        }

        return table.ToString();
    }
}
