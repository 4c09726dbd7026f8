using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace LlmTr.Web.Security;

/// <summary>
/// The browser-facing protections every page and JSON answer carries. The site runs no inline script (App.razor loads
/// files only), so scripts are limited to the site's own files; styles allow inline ones because MudBlazor and Blazor's
/// reconnect dialog write style attributes and elements. The OpenAI-compatible API gets only <c>nosniff</c>: its clients
/// are SDKs, not browsers, and its hot path should do no more than set one header.
/// </summary>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        + "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The jobs dashboard is Hangfire's own page (admins only) and writes inline script and styles of its own; it keeps
    /// every other rule, framing included.
    /// </summary>
    public static readonly string JobsDashboardPolicy =
        ContentSecurityPolicy.Replace("script-src 'self';", "script-src 'self' 'unsafe-inline';", StringComparison.Ordinal);

    public const string JobsDashboardPath = "/admin/jobs";

    private static readonly StringValues NoSniff = new("nosniff");
    private static readonly StringValues Policy = new(ContentSecurityPolicy);
    private static readonly StringValues JobsPolicy = new(JobsDashboardPolicy);
    private static readonly StringValues Deny = new("DENY");
    private static readonly StringValues SameOrigin = new("same-origin");

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(static (context, next) =>
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = NoSniff;
        var path = context.Request.Path;
        if (!path.StartsWithSegments("/v1"))
        {
            headers.ContentSecurityPolicy = path.StartsWithSegments(JobsDashboardPath) ? JobsPolicy : Policy;
            headers.XFrameOptions = Deny;
            headers["Referrer-Policy"] = SameOrigin;
        }

        return next(context);
    });
}
