using System.Collections.Concurrent;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Protocols;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace LlmTr.Modules.Gateway.Upstream;

/// <summary>
/// Each provider's connection settings: the base URL from the catalog snapshot (already carrying any
/// <c>Providers:{id}:BaseUrl</c> override), the credential <c>Providers:{id}:ApiKey</c> and the timeouts
/// <c>Providers:{id}:Timeout</c> / <c>StreamIdleTimeout</c>, all from configuration, never from the database.
/// </summary>
internal sealed class ProviderDirectory(IConfiguration configuration, IOptions<GatewayOptions> options)
{
    private readonly ConcurrentDictionary<(string Id, string BaseUrl), ProviderSettings> _settings = new();

    public ProviderSettings For(CatalogProvider provider) =>
        _settings.GetOrAdd((provider.Id, provider.BaseUrl), key =>
        {
            var section = configuration.GetSection($"Providers:{key.Id}");
            return new ProviderSettings(
                new Uri(key.BaseUrl),
                section["ApiKey"],
                section.GetValue<TimeSpan?>("Timeout") ?? options.Value.DefaultTimeout,
                section.GetValue<TimeSpan?>("StreamIdleTimeout") ?? options.Value.DefaultStreamIdleTimeout);
        });
}
