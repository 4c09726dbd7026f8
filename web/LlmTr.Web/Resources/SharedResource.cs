namespace LlmTr.Web.Resources;

/// <summary>Marker type that names SharedResource.resx for <c>IStringLocalizer&lt;SharedResource&gt;</c>.</summary>
public sealed class SharedResource
{
    private SharedResource()
    {
    }
}
