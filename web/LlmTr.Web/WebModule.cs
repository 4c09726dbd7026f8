using LlmTr.Web.Account;
using LlmTr.Web.Endpoints;
using LlmTr.Web.Localization;
using LlmTr.Web.Security;
using Microsoft.AspNetCore.Http;
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
        services.AddTransient<MudBlazor.MudLocalizer, SiteMudLocalizer>();

        // AuthorizeView and AuthorizeRouteView need the authorization services; adding them twice is harmless.
        services.AddAuthorization();
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AccountMail>();
        services.AddSingleton<AccountDeletion>();
        services.AddSingleton<Pages.Admin.Users.AccountSuspension>();
        services.AddSingleton<ModelPages.ModelStatuses>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();

        // The antiforgery cookie is HttpOnly and SameSite=Strict by default; it is also Secure whenever the request is HTTPS.
        services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddSignInRateLimit();

        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(UiCultures.Configure);
        return services;
    }

    /// <summary>Security headers on every answer (only <c>nosniff</c> on /v1); early, so error and not-found pages carry them too.</summary>
    public static IApplicationBuilder UseLlmTrSecurityHeaders(this IApplicationBuilder app) => app.UseSecurityHeaders();

    /// <summary>The per-address limit on sign-in, registration and two-factor posts; other requests never enter the limiter.</summary>
    public static IApplicationBuilder UseLlmTrSignInRateLimit(this IApplicationBuilder app) =>
        app.UseWhen(SignInRateLimit.Applies, limited => limited.UseRateLimiter());

    public static IEndpointRouteBuilder MapLlmTrWeb(this IEndpointRouteBuilder endpoints)
    {
        // Blazor would add a second policy of its own (frame-ancestors 'self', which compressed circuits need); the site's
        // policy (SecurityHeaders) already says frame-ancestors 'none' on every page, which is stricter.
        endpoints.MapRazorComponents<App>().AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = null);
        endpoints.MapAccountEndpoints();
        endpoints.MapPreferenceEndpoints();
        endpoints.MapOrganisationEndpoints();
        return endpoints;
    }
}
