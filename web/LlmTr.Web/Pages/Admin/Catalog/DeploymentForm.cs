using LlmTr.Modules.Catalog.Contracts;

namespace LlmTr.Web.Pages.Admin.Catalog;

/// <summary>
/// A deployment as the console edits it. A field left empty takes the provider's (protocol, address) or the model's
/// (upstream name, data path) value, so a change there reaches the deployment too; a field equal to it loads empty.
/// </summary>
internal sealed class DeploymentForm
{
    public string Name { get; set; } = "";

    public string AccountId { get; set; } = "";

    /// <summary>An <see cref="ApiProtocol"/> name, or empty for the provider's.</summary>
    public string Protocol { get; set; } = "";

    public string BaseUrl { get; set; } = "";

    public string UpstreamName { get; set; } = "";

    public string? Region { get; set; }

    public int Weight { get; set; } = 100;

    public string Status { get; set; } = nameof(DeploymentStatus.Active);

    public bool SpeaksResponsesApi { get; set; }

    public int Position { get; set; }

    /// <summary>The deployment has a data path of its own (a region elsewhere than the model's published path says).</summary>
    public bool OwnPath { get; set; }

    public List<HopForm> DataPath { get; set; } = [HopForm.Gateway()];

    /// <summary>Whether this form edits a deployment the model already has (its name is then fixed).</summary>
    public bool Existing { get; private init; }

    public static DeploymentForm New(CatalogModel model, int position) => new() { AccountId = model.ProviderId, Position = position };

    public static DeploymentForm From(CatalogDeployment deployment, CatalogModel model, CatalogProvider? provider, int position)
    {
        var ownPath = !deployment.DataPath.SequenceEqual(model.DataPath);
        return new DeploymentForm
        {
            Existing = true,
            Name = deployment.Name,
            AccountId = deployment.AccountId,
            Protocol = provider is not null && deployment.Protocol == provider.Protocol ? "" : deployment.Protocol.ToString(),
            BaseUrl = provider is not null && deployment.BaseUrl == provider.BaseUrl ? "" : deployment.BaseUrl,
            UpstreamName = deployment.UpstreamName == model.UpstreamName ? "" : deployment.UpstreamName,
            Region = deployment.Region,
            Weight = deployment.Weight,
            Status = deployment.Status.ToString(),
            SpeaksResponsesApi = deployment.SpeaksResponsesApi,
            Position = position,
            OwnPath = ownPath,
            DataPath = ownPath ? deployment.DataPath.Select(HopForm.From).ToList() : [HopForm.Gateway()],
        };
    }

    public DeploymentInput ToInput(string modelId) => new(
        modelId, Name.Trim(), AccountId.Trim(), Protocol, BaseUrl.Trim(), UpstreamName.Trim(), Region, OwnPath ? DataPath.Select(h => h.ToHop()).ToList() : [],
        Weight, Status, Protocol.Length > 0 && SpeaksResponsesApi, Position);
}
