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

    /// <summary>
    /// Stores an account's credential, encrypted, in place of any earlier one (a provider id's account row is made on
    /// the way); every host uses it within seconds. Never shown again: only its last four characters are kept in clear.
    /// </summary>
    Task<CatalogCommandResult> SetCredentialAsync(string accountId, string credential, string actor, CancellationToken cancellationToken = default);

    /// <summary>Removes an account's stored credential (one from configuration stays in force).</summary>
    Task<CatalogCommandResult> ClearCredentialAsync(string accountId, string actor, CancellationToken cancellationToken = default);

    /// <summary>Every provider account (each provider's own, and the others), with where its credential comes from.</summary>
    Task<IReadOnlyList<ProviderAccountView>> AccountsAsync(CancellationToken cancellationToken = default);
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

/// <summary>Where the credential an account's calls carry comes from.</summary>
public enum CredentialSource
{
    /// <summary>No credential: the account's deployments take no traffic.</summary>
    None,

    /// <summary>Set in the admin console, stored encrypted in the catalog.</summary>
    Console,

    /// <summary><c>Providers:{account}:ApiKey</c> in configuration, which wins over a stored one.</summary>
    Configuration,
}

/// <param name="IsProvider">The account is a provider's own (its id is the provider's), used by its default deployments.</param>
/// <param name="Hint">The last four characters of the credential in force, to tell credentials apart; null without one.</param>
/// <param name="SetAt">When the stored credential was set; null unless it is the one in force.</param>
/// <param name="SetBy">Who set the stored credential; null unless it is the one in force.</param>
public sealed record ProviderAccountView(
    string Id, string DisplayName, bool IsProvider, CredentialSource Source, string? Hint, DateTimeOffset? SetAt, string? SetBy);
