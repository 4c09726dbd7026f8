using LlmTr.Web.Resources;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace LlmTr.Web.Localization;

/// <summary>
/// MudBlazor's own texts (pager buttons, data grid filters and sorting, close buttons, conversion errors) from the
/// site's resources, under the key <c>Mud_</c> + MudBlazor's key, so they follow the page's language. A key the site
/// does not define falls back to MudBlazor's English.
/// </summary>
internal sealed class SiteMudLocalizer(IStringLocalizer<SharedResource> text) : MudLocalizer
{
    public const string Prefix = "Mud_";

    public override LocalizedString this[string key] => Found(key, text[Prefix + key]);

    public override LocalizedString this[string key, params object[] arguments] => Found(key, text[Prefix + key, arguments]);

    private static LocalizedString Found(string key, LocalizedString site) =>
        site.ResourceNotFound ? new LocalizedString(key, key, resourceNotFound: true) : new LocalizedString(key, site.Value);
}
