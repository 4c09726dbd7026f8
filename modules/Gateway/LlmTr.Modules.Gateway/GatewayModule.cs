using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Modules.Gateway;

/// <summary>The OpenAI-compatible /v1 surface: provider adapters, streaming, usage capture.</summary>
public static class GatewayModule
{
    public static IServiceCollection AddGatewayModule(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services;
    }
}
