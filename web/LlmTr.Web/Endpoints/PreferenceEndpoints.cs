using LlmTr.Web.Localization;
using LlmTr.Web.Navigation;
using LlmTr.Web.Theming;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Routing;

namespace LlmTr.Web.Endpoints;

/// <summary>
/// Theme and language switches are plain links to these endpoints: they work on static pages without
/// script, and a full reload lets the next render (and a new interactive circuit) pick up the cookie.
/// </summary>
internal static class PreferenceEndpoints
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);

    public static IEndpointRouteBuilder MapPreferenceEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(UiLinks.ThemePath, SetTheme).WithName("SetTheme").ExcludeFromDescription();
        endpoints.MapGet(UiLinks.CulturePath, SetCulture).WithName("SetCulture").ExcludeFromDescription();
        return endpoints;
    }

    internal static Results<RedirectHttpResult, BadRequest> SetTheme(string? mode, string? returnUrl, HttpContext context)
    {
        if (!ThemePreference.IsKnown(mode))
        {
            return TypedResults.BadRequest();
        }

        context.Response.Cookies.Append(ThemePreference.CookieName, mode.ToLowerInvariant(), PreferenceCookie(context));
        return TypedResults.LocalRedirect(LocalReturnUrl.OrRoot(returnUrl));
    }

    internal static Results<RedirectHttpResult, BadRequest> SetCulture(string? culture, string? returnUrl, HttpContext context)
    {
        if (!UiCultures.IsSupported(culture))
        {
            return TypedResults.BadRequest();
        }

        var value = CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture.ToLowerInvariant()));
        context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName, value, PreferenceCookie(context));
        return TypedResults.LocalRedirect(LocalReturnUrl.OrRoot(returnUrl));
    }

    // A display preference is essential to the page the visitor asked for, so it is not held back by consent.
    private static CookieOptions PreferenceCookie(HttpContext context) => new()
    {
        Path = "/",
        MaxAge = Lifetime,
        HttpOnly = true,
        IsEssential = true,
        SameSite = SameSiteMode.Lax,
        Secure = context.Request.IsHttps,
    };
}
