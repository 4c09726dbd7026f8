using LlmTr.Web.Account;
using LlmTr.Web.Endpoints;
using LlmTr.Web.Localization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace LlmTr.Web;

/// <summary>
/// The web UI: public pages and account pages rendered statically, the dashboard and the admin console
/// interactive on the server. Identity itself (stores, cookies) is registered by the host through AddLlmTrIdentity.
/// </summary>
public static class WebModule
{
    public static IServiceCollection AddLlmTrWeb(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();

        // AuthorizeView and AuthorizeRouteView need the authorization services; adding them twice is harmless.
        services.AddAuthorization();
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddSingleton<Pages.Admin.Users.AccountSuspension>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();

        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(UiCultures.Configure);
        return services;
    }

    public static IEndpointRouteBuilder MapLlmTrWeb(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        endpoints.MapAccountEndpoints();
        endpoints.MapPreferenceEndpoints();
        return endpoints;
    }
}
