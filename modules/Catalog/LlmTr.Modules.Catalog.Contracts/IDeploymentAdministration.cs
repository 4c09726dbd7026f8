namespace LlmTr.Modules.Catalog.Contracts;

/// <summary>
/// Curating where models are served from: deployments and the provider accounts they use. Changes are validated,
/// recorded with who made them and reach every host's snapshot within seconds, like every catalog change.
/// </summary>
public interface IDeploymentAdministration
{
    /// <summary>Adds a deployment to its model, or changes the one of that name.</summary>
    Task<CatalogCommandResult> SaveDeploymentAsync(DeploymentInput input, string actor, CancellationToken cancellationToken = default);

    /// <summary>Adds a provider account, or renames it.</summary>
    Task<CatalogCommandResult> SaveAccountAsync(AccountInput input, string actor, CancellationToken cancellationToken = default);
}

/// <param name="Protocol">An <see cref="ApiProtocol"/> name, or empty for the provider's.</param>
/// <param name="BaseUrl">Empty for the provider's address.</param>
/// <param name="UpstreamName">Empty for the model's upstream name.</param>
/// <param name="DataPath">Empty for the model's published path.</param>
/// <param name="SpeaksResponsesApi">Whether it serves OpenAI's Responses API; ignored without a protocol of its own (the provider's setting holds then).</param>
/// <param name="Position">Where it is listed among the model's deployments; the first is the default.</param>
public sealed record DeploymentInput(
    string ModelId,
    string Name,
    string AccountId,
    string Protocol,
    string BaseUrl,
    string UpstreamName,
    string? Region,
    IReadOnlyList<DataPathHop> DataPath,
    int Weight,
    string Status,
    bool SpeaksResponsesApi = false,
    int Position = 0);

public sealed record AccountInput(string Id, string DisplayName);
