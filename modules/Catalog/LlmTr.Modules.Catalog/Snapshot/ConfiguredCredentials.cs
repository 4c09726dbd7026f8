using LlmTr.Modules.Catalog.Contracts;
using Microsoft.Extensions.Configuration;

namespace LlmTr.Modules.Catalog.Snapshot;

/// <summary>Credentials from configuration only: <c>Providers:{account}:ApiKey</c>.</summary>
internal sealed class ConfiguredCredentials(IConfiguration configuration) : IProviderCredentials
{
    public string? For(string accountId) => configuration[$"Providers:{accountId}:ApiKey"] is { Length: > 0 } key ? key : null;
}
