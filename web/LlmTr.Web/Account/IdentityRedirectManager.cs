using LlmTr.Web.Navigation;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;

namespace LlmTr.Web.Account;

/// <summary>
/// Redirects from statically rendered account pages. A one-shot status cookie carries a confirmation across
/// the redirect, so a form post is followed by a GET (a reload does not post the form again).
/// </summary>
internal sealed class IdentityRedirectManager(NavigationManager navigation)
{
    public const string StatusCookieName = "llmtr.status";

    private static readonly CookieBuilder StatusCookie = new()
    {
        SameSite = SameSiteMode.Strict,
        HttpOnly = true,
        IsEssential = true,
        MaxAge = TimeSpan.FromSeconds(5),
    };

    /// <summary>Navigates to a local address only; during static rendering the framework turns this into a 302.</summary>
    public void RedirectTo(string? uri) => navigation.NavigateTo(LocalReturnUrl.OrRoot(uri));

    public void RedirectToWithStatus(string uri, string status, HttpContext context)
    {
        context.Response.Cookies.Append(StatusCookieName, status, StatusCookie.Build(context));
        RedirectTo(uri);
    }

    /// <summary>Reads the status left by the previous redirect and removes it, so it shows once.</summary>
    public static string? TakeStatus(HttpContext context)
    {
        var status = context.Request.Cookies[StatusCookieName];
        if (status is not null)
        {
            context.Response.Cookies.Delete(StatusCookieName);
        }

        return status;
    }
}
