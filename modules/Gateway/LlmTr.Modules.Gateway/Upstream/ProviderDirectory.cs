using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Protocols;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace LlmTr.Modules.Gateway.Upstream;

/// <summary>
/// Each deployment's connection settings: its base URL from the catalog snapshot (already carrying any
/// <c>Providers:{account}:BaseUrl</c> override), its account's credential from <see cref="IProviderCredentials"/> (read
/// on every call, so a changed credential is used at once) and the provider's timeouts <c>Providers:{id}:Timeout</c> /
/// <c>StreamIdleTimeout</c> from configuration. Settings are kept per deployment until any of that changes.
/// </summary>
internal sealed class ProviderDirectory(IConfiguration configuration, IOptions<GatewayOptions> options, IProviderCredentials credentials)
{
    private readonly ConditionalWeakTable<CatalogDeployment, ProviderSettings> _settings = [];
    private readonly ConcurrentDictionary<string, (TimeSpan Timeout, TimeSpan StreamIdle)> _timeouts = new(StringComparer.Ordinal);

    /// <summary>The settings of a deployment of <paramref name="providerId"/>'s model.</summary>
    public ProviderSettings For(CatalogDeployment deployment, string providerId)
    {
        var key = credentials.For(deployment.AccountId);
        if (_settings.TryGetValue(deployment, out var settings) && string.Equals(settings.ApiKey, key, StringComparison.Ordinal))
        {
            return settings;
        }

        var (timeout, streamIdle) = _timeouts.GetOrAdd(providerId, id =>
        {
            var section = configuration.GetSection($"Providers:{id}");
            return (section.GetValue<TimeSpan?>("Timeout") ?? options.Value.DefaultTimeout,
                section.GetValue<TimeSpan?>("StreamIdleTimeout") ?? options.Value.DefaultStreamIdleTimeout);
        });
        settings = new ProviderSettings(new Uri(deployment.BaseUrl), key, timeout, streamIdle, deployment.Protocol);
        _settings.AddOrUpdate(deployment, settings);
        return settings;
    }

    /// <summary>Whether the account has a credential to send.</summary>
    public bool HasCredential(string accountId) => credentials.For(accountId) is { Length: > 0 };
}
