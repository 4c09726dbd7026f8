namespace LlmTr.Modules.Catalog.Contracts;

/// <summary>
/// One place a model is served from: an address speaking a protocol, reached with one provider account's credential,
/// under the name the upstream knows the model by, in a region whose data path is part of the model's. A model has one
/// or more; traffic is spread over the active ones by <see cref="Weight"/>, and a request that must stay in Turkey (or
/// keep nothing) only ever reaches the deployments whose path allows it.
/// </summary>
/// <param name="Name">Unique within its model (<c>openai</c>, <c>azure-sweden</c>): what routing options and the <c>x-llmtr-served-by</c> header name.</param>
/// <param name="AccountId">The provider account whose credential the calls carry (<c>Providers:{AccountId}:ApiKey</c>, or the console's).</param>
/// <param name="Region">Where it runs, in words (<c>Sweden Central</c>); its data path says it country by country.</param>
/// <param name="DataPath">The hops a request takes through this deployment, gateway included.</param>
/// <param name="Weight">Its share of the traffic among the model's healthy active deployments (0 takes traffic only when no other can).</param>
public sealed record CatalogDeployment(
    string ModelId,
    string Name,
    string AccountId,
    ApiProtocol Protocol,
    string BaseUrl,
    string UpstreamName,
    string? Region,
    IReadOnlyList<DataPathHop> DataPath,
    int Weight,
    DeploymentStatus Status,
    bool SpeaksResponsesApi = false)
{
    /// <summary>The deployment a model has when the catalog lists none: its provider's address, protocol and account, the model's own name and path.</summary>
    public static CatalogDeployment DefaultOf(CatalogModel model, CatalogProvider provider) => new(
        model.Id, provider.Id, provider.Id, provider.Protocol, provider.BaseUrl, model.UpstreamName,
        provider.Region, model.DataPath, DefaultWeight, DeploymentStatus.Active, provider.SpeaksResponsesApi);

    /// <summary>The weight of a provider's default deployment, and the form's starting value.</summary>
    public const int DefaultWeight = 100;

    /// <summary>The deployment's id across the catalog: <c>{model}@{name}</c>.</summary>
    public string Id => $"{ModelId}@{Name}";

    public bool IsActive => Status == DeploymentStatus.Active;

    public bool HostedInTurkey => DataPath.Count > 0 && DataPath.All(static hop => hop.InTurkey);

    public bool RetainsNothing => DataPath.Count > 0 && DataPath.All(static hop => hop.RetainsNothing);
}
