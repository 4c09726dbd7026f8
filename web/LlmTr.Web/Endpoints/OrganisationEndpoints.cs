using System.Security.Claims;
using LlmTr.Identity.Organisations;
using LlmTr.Web.Navigation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LlmTr.Web.Endpoints;

/// <summary>
/// Switching the organisation a user acts in: a plain link (like the theme and language switches), so it works on
/// static pages too and the next page (and a new interactive circuit) reads the choice. Only an organisation the user
/// belongs to can be chosen; the choice is checked again wherever it is used.
/// </summary>
internal static class OrganisationEndpoints
{
    public const string SwitchPath = "/organisations/switch";

    public static string Switch(string organisationId, string returnUrl) =>
        $"{SwitchPath}?id={Uri.EscapeDataString(organisationId)}&returnUrl={Uri.EscapeDataString(returnUrl)}";

    public static IEndpointRouteBuilder MapOrganisationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(SwitchPath, SwitchAsync).RequireAuthorization().WithName("SwitchOrganisation").ExcludeFromDescription();
        return endpoints;
    }

    internal static async Task<Results<RedirectHttpResult, NotFound>> SwitchAsync(string? id, string? returnUrl, HttpContext context, IOrganisations organisations)
    {
        var userId = context.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null || string.IsNullOrEmpty(id) || await organisations.MembershipAsync(id, userId, context.RequestAborted) is null)
        {
            return TypedResults.NotFound(); // like an organisation that does not exist: ids reveal nothing
        }

        context.Response.Cookies.Append(OrganisationSelection.CookieName, id, PreferenceEndpoints.PreferenceCookie(context));
        return TypedResults.LocalRedirect(LocalReturnUrl.OrRoot(returnUrl));
    }
}
