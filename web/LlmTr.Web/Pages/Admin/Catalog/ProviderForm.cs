using LlmTr.Modules.Catalog.Contracts;

namespace LlmTr.Web.Pages.Admin.Catalog;

internal sealed class ProviderForm
{
    public string Id { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public string Protocol { get; set; } = nameof(ApiProtocol.OpenAi);

    public string BaseUrl { get; set; } = "https://";

    public string Country { get; set; } = "";

    public string? Region { get; set; }

    public string DataHandlingEn { get; set; } = "";

    public string DataHandlingTr { get; set; } = "";

    public string Status { get; set; } = nameof(ProviderStatus.Active);

    public bool SpeaksResponsesApi { get; set; }

    public static ProviderForm From(CatalogProvider provider) => new()
    {
        Id = provider.Id,
        DisplayName = provider.DisplayName,
        Protocol = provider.Protocol.ToString(),
        BaseUrl = provider.BaseUrl,
        Country = provider.Country,
        Region = provider.Region,
        DataHandlingEn = provider.DataHandling.En,
        DataHandlingTr = provider.DataHandling.Tr,
        Status = provider.Status.ToString(),
        SpeaksResponsesApi = provider.SpeaksResponsesApi,
    };

    public ProviderInput ToInput() =>
        new(Id.Trim(), DisplayName, Protocol, BaseUrl, Country.Trim().ToUpperInvariant(), Region, DataHandlingEn, DataHandlingTr, Status, SpeaksResponsesApi);
}
