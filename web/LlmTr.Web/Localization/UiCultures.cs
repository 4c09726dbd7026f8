using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Builder;
using LlmTr.Web.Navigation;
using Microsoft.AspNetCore.Localization;

namespace LlmTr.Web.Localization;

/// <summary>The languages the UI is written in; English is the fallback for everyone else.</summary>
internal static class UiCultures
{
    public const string English = "en";
    public const string Turkish = "tr";

    public static IReadOnlyList<string> Supported { get; } = [English, Turkish];

    public static bool IsSupported([NotNullWhen(true)] string? culture) =>
        culture is not null && Supported.Contains(culture, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A docs page's own language (its address says it) comes first; then an explicit choice (the cookie set by
    /// /ui/culture) wins over what the browser asks for.
    /// </summary>
    public static void Configure(RequestLocalizationOptions options)
    {
        var cultures = Supported.ToArray();
        options.SetDefaultCulture(English)
            .AddSupportedCultures(cultures)
            .AddSupportedUICultures(cultures);
        options.RequestCultureProviders =
        [
            new CustomRequestCultureProvider(context =>
                Task.FromResult(DocsLinks.LanguageOf(context.Request.Path.Value ?? "") is { } language ? new ProviderCultureResult(language) : null)),
            new CookieRequestCultureProvider(),
            new AcceptLanguageHeaderRequestCultureProvider(),
        ];
    }
}
