namespace LlmTr.Web.ModelPages;

/// <summary>Model ids read "provider/model"; the model page lives at /models/provider/model.</summary>
internal static class ModelLinks
{
    public const string Catalog = "/models";

    public static string Page(string modelId) =>
        Catalog + "/" + string.Join('/', modelId.Split('/').Select(Uri.EscapeDataString));
}
