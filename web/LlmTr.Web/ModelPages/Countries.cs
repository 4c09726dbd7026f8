using System.Globalization;
using LlmTr.Modules.Catalog.Contracts;
using Microsoft.Extensions.Localization;

namespace LlmTr.Web.ModelPages;

/// <summary>Country codes of a data path and their names in the UI language.</summary>
internal static class Countries
{
    /// <summary>The distinct countries outside Turkey that a request passes through, in path order.</summary>
    public static IReadOnlyList<string> Abroad(IEnumerable<DataPathHop> path) =>
        path.Where(hop => !hop.InTurkey).Select(hop => hop.Country.ToUpperInvariant()).Distinct().ToList();

    public static IReadOnlyList<string> OperatorsAbroad(IEnumerable<DataPathHop> path) =>
        path.Where(hop => !hop.InTurkey).Select(hop => hop.Operator).Distinct().ToList();

    /// <summary>"United States (US)". Hand-rolled from the resources: on Linux, RegionInfo.DisplayName gives the
    /// country's own-language name (中国), not the UI language's; codes not in the resources fall back to English.</summary>
    public static string Name(string code, IStringLocalizer localizer)
    {
        var upper = code.ToUpperInvariant();
        var localized = localizer[$"Models_Country_{upper}"];
        return $"{(localized.ResourceNotFound ? EnglishName(upper) : localized.Value)} ({upper})";
    }

    private static string EnglishName(string code)
    {
        try
        {
            return new RegionInfo(code).EnglishName;
        }
        catch (ArgumentException)
        {
            return code;
        }
    }
}
