using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Modules.Keys;

/// <summary>API keys: issued once, stored hashed, scoped and limited; authenticates /v1.</summary>
public static class KeysModule
{
    public static IServiceCollection AddKeysModule(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services;
    }
}
