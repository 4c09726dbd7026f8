using LlmTr.Modules.Docs.Contracts;

namespace LlmTr.Web.Navigation;

/// <summary>Docs addresses carry their language (<c>/docs/tr/errors</c>): switching the UI language switches the page too.</summary>
internal static class DocsLinks
{
    /// <summary>The docs language of a local path, or null when it is not a docs page.</summary>
    public static string? LanguageOf(string path) =>
        DocsPaths.Languages.FirstOrDefault(language => Prefix(language) is var prefix
            && path.StartsWith(prefix, StringComparison.Ordinal)
            && (path.Length == prefix.Length || path[prefix.Length] is '/' or '?' or '#'));

    /// <summary>The same docs page in <paramref name="language"/>; any other address unchanged.</summary>
    public static string InLanguage(string localUrl, string language) =>
        LanguageOf(localUrl) is { } current ? Prefix(language) + localUrl[Prefix(current).Length..] : localUrl;

    private static string Prefix(string language) => $"{DocsPaths.Root}/{language}";
}
