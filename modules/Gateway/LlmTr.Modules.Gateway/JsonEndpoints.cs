using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace LlmTr.Modules.Gateway;

/// <summary>
/// The /v1 endpoints that declare the content types they accept (the JSON ones). Routing drops such an endpoint when
/// the request's content type is another (or missing), and the /v1 fallback is then the only match left; this tells
/// the fallback that the address and method exist, so the answer is 415 naming the content type, not 404 "unknown URL".
/// </summary>
internal sealed class JsonEndpoints(EndpointDataSource endpoints)
{
    private IReadOnlyList<(TemplateMatcher Route, IReadOnlyList<string> Methods)>? _routes;

    /// <summary>Whether an endpoint with declared content types serves this request's address and method.</summary>
    public bool Serves(HttpContext http)
    {
        _routes ??= Routes(endpoints);
        foreach (var (route, methods) in _routes)
        {
            if (methods.Contains(http.Request.Method, StringComparer.OrdinalIgnoreCase) && route.TryMatch(http.Request.Path, new RouteValueDictionary()))
            {
                return true;
            }
        }

        return false;
    }

    private static List<(TemplateMatcher, IReadOnlyList<string>)> Routes(EndpointDataSource endpoints) =>
        endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAcceptsMetadata>() is { ContentTypes.Count: > 0 }
                && e.Metadata.GetMetadata<IHttpMethodMetadata>() is not null)
            .Select(e => (new TemplateMatcher(new RouteTemplate(e.RoutePattern), new RouteValueDictionary()), e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods))
            .ToList();
}
