using LlmTr.Identity;
using LlmTr.Web.Navigation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace LlmTr.Web.Endpoints;

internal static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Sign-out is a POST so that a link on another site cannot sign people out; binding from the form
        // makes the endpoint require the antiforgery token the layout's sign-out form carries.
        endpoints.MapPost("/account/logout", SignOutAsync).WithName("SignOut").ExcludeFromDescription();
        return endpoints;
    }

    internal static async Task<RedirectHttpResult> SignOutAsync(
        [FromServices] SignInManager<ApplicationUser> signInManager,
        [FromForm] string? returnUrl)
    {
        await signInManager.SignOutAsync();
        return TypedResults.LocalRedirect(LocalReturnUrl.OrRoot(returnUrl));
    }
}
