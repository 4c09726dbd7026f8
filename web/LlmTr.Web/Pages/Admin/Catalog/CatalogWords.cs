using LlmTr.Web.Resources;
using Microsoft.Extensions.Localization;

namespace LlmTr.Web.Pages.Admin.Catalog;

/// <summary>
/// A model's or provider's status and visibility in the reader's language. The forms keep the name the module parses
/// (<c>Active</c>, <c>Public</c>); people read it in words.
/// </summary>
internal static class CatalogWords
{
    public static string Of(string? name, IStringLocalizer<SharedResource> text)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "";
        }

        var word = text[$"CatalogState_{name}"];
        return word.ResourceNotFound ? name : word.Value;
    }

    public static string Of<TEnum>(TEnum value, IStringLocalizer<SharedResource> text)
        where TEnum : struct, Enum => Of(value.ToString(), text);
}
