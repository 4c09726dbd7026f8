using System.Globalization;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Docs.Rendering;

namespace LlmTr.Modules.Docs.Generated;

/// <summary>The live model table: every listed model of the current catalog snapshot, linked to its model page.</summary>
internal static class ModelTable
{
    public static string Markdown(CatalogSnapshot catalog, string language)
    {
        var table = new MarkdownTable(
            Words.In(language, "Model id", "Model kimliği"),
            Words.In(language, "Name", "Ad"),
            Words.In(language, "Provider", "Sağlayıcı"),
            Words.In(language, "Context (tokens)", "Bağlam (token)"),
            Words.In(language, "Input", "Girdi"),
            Words.In(language, "Data processed in", "Verinin işlendiği yer"),
            Words.In(language, "Hosted in Turkey", "Türkiye'de barındırılır"));
        foreach (var model in catalog.Models.Where(m => m.IsListed))
        {
            table.RawRow(
                $"[{MarkdownTable.Code(model.Id)}]({ModelPage(model.Id)})",
                MarkdownTable.Escape(model.DisplayName),
                MarkdownTable.Escape(catalog.FindProvider(model.ProviderId)?.DisplayName ?? model.ProviderId),
                model.ContextLength.ToString("N0", CultureInfo.InvariantCulture),
                MarkdownTable.Escape(string.Join(", ", model.InputModalities)),
                MarkdownTable.Escape(string.Join(", ", model.DataPath.Select(h => h.Country.ToUpperInvariant()).Distinct())),
                model.HostedInTurkey ? Words.In(language, "yes", "evet") : Words.In(language, "no", "hayır"));
        }

        return table.ToString();
    }

    /// <summary>The public model page: <c>/models/{provider}/{model}</c>, each segment escaped.</summary>
    public static string ModelPage(string modelId) => "/models/" + string.Join('/', modelId.Split('/').Select(Uri.EscapeDataString));
}
