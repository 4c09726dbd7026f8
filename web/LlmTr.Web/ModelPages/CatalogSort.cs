namespace LlmTr.Web.ModelPages;

/// <summary>How /models orders its list; the query value is the lower-case name.</summary>
public enum CatalogSort
{
    Name,
    Price,
    Context,
}
