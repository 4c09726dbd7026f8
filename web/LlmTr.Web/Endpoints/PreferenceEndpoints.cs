using LlmTr.Identity;
using LlmTr.Web.Localization;
using LlmTr.Web.Navigation;
using LlmTr.Web.Theming;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Routing;

namespace LlmTr.Web.Endpoints;

/// <summary>
/// Theme and language switches are plain links to these endpoints: they work on static pages without
/// script, and a full reload lets the next render (and a new interactive circuit) pick up the cookie. A signed-in
/// user's choice is also kept on their account and applied again whenever they sign in (on any browser).
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

    internal static async Task<Results<RedirectHttpResult, BadRequest>> SetTheme(
        string? mode, string? returnUrl, HttpContext context, [FromServices] UserManager<ApplicationUser> users)
    {
        if (!ThemePreference.IsKnown(mode))
        {
            return TypedResults.BadRequest();
        }

        var theme = mode.ToLowerInvariant();
        AppendTheme(context, theme);
        await RememberAsync(context, users, user => user.PreferredTheme = theme);
        return TypedResults.LocalRedirect(LocalReturnUrl.OrRoot(returnUrl));
    }

    internal static async Task<Results<RedirectHttpResult, BadRequest>> SetCulture(
        string? culture, string? returnUrl, HttpContext context, [FromServices] UserManager<ApplicationUser> users)
    {
        if (!UiCultures.IsSupported(culture))
        {
            return TypedResults.BadRequest();
        }

        var language = culture.ToLowerInvariant();
        AppendCulture(context, language);
        await RememberAsync(context, users, user => user.PreferredCulture = language);
        return TypedResults.LocalRedirect(LocalReturnUrl.OrRoot(returnUrl));
    }

    /// <summary>Puts a user's remembered choices into this browser's cookies (at sign-in); unset choices leave the cookies alone.</summary>
    internal static void ApplyTo(HttpContext context, ApplicationUser user)
    {
        if (ThemePreference.IsKnown(user.PreferredTheme))
        {
            AppendTheme(context, user.PreferredTheme.ToLowerInvariant());
        }

        if (UiCultures.IsSupported(user.PreferredCulture))
        {
            AppendCulture(context, user.PreferredCulture.ToLowerInvariant());
        }
    }

    private static void AppendTheme(HttpContext context, string theme) =>
        context.Response.Cookies.Append(ThemePreference.CookieName, theme, PreferenceCookie(context));

    private static void AppendCulture(HttpContext context, string culture) =>
        context.Response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)), PreferenceCookie(context));

    private static async Task RememberAsync(HttpContext context, UserManager<ApplicationUser> users, Action<ApplicationUser> change)
    {
        if (context.User.Identity?.IsAuthenticated != true || await users.GetUserAsync(context.User) is not { } user)
        {
            return; // anonymous visitors keep the cookie only
        }

        change(user);
        await users.UpdateAsync(user);
    }

    // A display preference (or the organisation a user acts in) is essential to the page the visitor asked for, so it
    // is not held back by consent.
    internal static CookieOptions PreferenceCookie(HttpContext context) => new()
    {
        Path = "/",
        MaxAge = Lifetime,
        HttpOnly = true,
        IsEssential = true,
        SameSite = SameSiteMode.Lax,
        Secure = context.Request.IsHttps,
    };
}
