using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Modules.Docs;

/// <summary>The developer documentation and its rendering.</summary>
public static class DocsModule
{
    public static IServiceCollection AddDocsModule(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services;
    }
}
