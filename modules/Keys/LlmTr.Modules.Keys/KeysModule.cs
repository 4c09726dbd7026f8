using LlmTr.Modules.Keys.Api;
using LlmTr.Modules.Keys.Authentication;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Modules.Keys.Data;
using LlmTr.Modules.Keys.Directory;
using LlmTr.Modules.Keys.Issuing;
using LlmTr.Modules.Keys.Limits;
using LlmTr.Modules.Keys.Policies;
using LlmTr.Identity.Organisations;
using LlmTr.Persistence;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmTr.Modules.Keys;

/// <summary>API keys: issued once, stored hashed, scoped and limited; authenticates /v1.</summary>
public static class KeysModule
{
    /// <param name="localHashSecret">Where the secret comes from when <c>Keys:HashSecret</c> is not configured (the run command's local one), or null to require it.</param>
    public static IServiceCollection AddKeysModule(
        this IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, string?>? localHashSecret = null)
    {
        services.AddModuleDbContext<KeysDbContext>(ModuleSchemas.Keys);
        services.AddSingleton(sp => new KeyHashSecret(() =>
            configuration["Keys:HashSecret"] is { Length: > 0 } configured ? configured : localHashSecret?.Invoke(sp)));
        services.AddOptions<KeysOptions>().Bind(configuration.GetSection(KeysOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KeysOptions>, KeyHashSecretValidation>();
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<IApiKeys>(sp => sp.GetRequiredService<ApiKeyService>());
        services.AddSingleton<IApiKeyAdministration>(sp => sp.GetRequiredService<ApiKeyService>());
        services.AddSingleton<IKeyPolicies, KeyPolicyService>();
        services.AddScoped<IEventHandler<OrganisationMemberRemoved>, MemberRemovedHandler>();
        services.AddSingleton<RequestRateLimiter>();
        services.AddSingleton<KeyDirectory>();
        services.AddSingleton<IApiKeyAuthenticator>(sp => sp.GetRequiredService<KeyDirectory>());
        services.AddSingleton<IOrganisationRules>(sp => sp.GetRequiredService<KeyDirectory>());
        services.AddHostedService<KeyChangeListener>();
        services.AddSingleton<LastUsedRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<LastUsedRecorder>());
        return services;
    }

    /// <summary>The signed-in user's own keys over HTTP (list, read, revoke).</summary>
    public static IEndpointRouteBuilder MapKeysEndpoints(this IEndpointRouteBuilder endpoints) => endpoints.MapKeyEndpoints();

    /// <summary>
    /// The caller's key on /v1 endpoints marked <see cref="ApiKeyRequired"/>: a valid key becomes the request's
    /// <see cref="ApiKeyIdentity"/> feature, anything else a 401 in the endpoint's API format. Goes after routing.
    /// </summary>
    public static IApplicationBuilder UseApiKeyAuthentication(this IApplicationBuilder app) => app.UseMiddleware<ApiKeyAuthenticationMiddleware>();

    /// <summary>Per-key request limits and their headers on /v1; goes right after <see cref="UseApiKeyAuthentication"/>.</summary>
    public static IApplicationBuilder UseApiKeyLimits(this IApplicationBuilder app) => app.UseMiddleware<RateLimitMiddleware>();
}
