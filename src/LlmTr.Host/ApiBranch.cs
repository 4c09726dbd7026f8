using LlmTr.Modules.Gateway;
using LlmTr.Modules.Keys;
using LlmTr.Web;

namespace LlmTr.Host;

/// <summary>
/// The OpenAI-compatible API's own short pipeline. Requests under <c>/v1</c> leave the site's pipeline right after
/// routing and run only what an API call needs: HSTS and the HTTPS redirect as configured, <c>nosniff</c>, the request
/// id and JSON errors (<see cref="GatewayModule.UseGatewayAnswers"/>), the API key (set as the request's
/// <c>ApiKeyIdentity</c> feature) and the per-key rate limit, then the endpoint. No cookie authentication,
/// authorization policy, antiforgery, status-code pages or request localization runs for them: the API answers in
/// English, in its own error format, to a key and never to a site cookie.
/// </summary>
/// <remarks>
/// Goes right after the host's <c>UseRouting</c>: a branch of a <see cref="WebApplication"/> gets a routing world of its
/// own, so the branch does not route again; it runs the endpoint the host's routing chose, with the host's endpoints.
/// </remarks>
internal static class ApiBranch
{
    public static bool Serves(HttpContext context) => context.Request.Path.StartsWithSegments("/v1");

    public static IApplicationBuilder UseApiBranch(this IApplicationBuilder app, bool hsts, bool redirectToHttps) =>
        app.MapWhen(Serves, api =>
        {
            if (hsts)
            {
                api.UseHsts();
            }

            if (redirectToHttps)
            {
                api.UseHttpsRedirection();
            }

            api.UseLlmTrSecurityHeaders(); // on /v1 only nosniff
            api.UseGatewayAnswers();
            api.UseApiKeyAuthentication();
            api.UseApiKeyLimits();
            api.UseEndpoints(_ => { }); // runs the endpoint routing chose; the /v1 endpoints are the host's, mapped in Program
        });
}
