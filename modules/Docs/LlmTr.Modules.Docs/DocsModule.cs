using LlmTr.Modules.Docs.Content;
using LlmTr.Modules.Docs.Contracts;
using LlmTr.Modules.Docs.Generated;
using LlmTr.Modules.Docs.Search;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Modules.Docs;

/// <summary>
/// The developer documentation in English and Turkish (Markdown embedded here, rendered with generated sections from
/// the code), its search index, and the OpenAPI document of the public API.
/// </summary>
public static class DocsModule
{
    public static IServiceCollection AddDocsModule(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<DocsContent>();

        // The configuration reference lists the options classes registered in this very collection; it is read when
        // a page first needs it, after the host has registered everything.
        services.AddSingleton(new ConfigurationReference(services));
        services.AddSingleton<ApiReference>();
        services.AddSingleton<GeneratedSections>();
        services.AddSingleton<DocsLibrary>();
        services.AddSingleton<IDocumentation>(sp => sp.GetRequiredService<DocsLibrary>());
        services.AddPublicApiDocument();
        return services;
    }

    /// <summary>The search index and <c>/openapi/v1.json</c>; the pages themselves are the web UI's (/docs).</summary>
    public static IEndpointRouteBuilder MapDocsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapSearchIndex();
        endpoints.MapPublicApiDocument();
        return endpoints;
    }
}
