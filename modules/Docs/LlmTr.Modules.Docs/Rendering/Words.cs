namespace LlmTr.Modules.Docs.Rendering;

/// <summary>Text the rendered pages carry in their own language (generated tables, buttons inside the content).</summary>
internal static class Words
{
    public static string In(string language, string en, string tr) => language == "tr" ? tr : en;
}
