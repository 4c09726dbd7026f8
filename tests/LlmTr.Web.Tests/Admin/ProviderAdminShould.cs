using Bunit;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Web.Pages.Admin.Catalog;
using LlmTr.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LlmTr.Web.Tests.Admin;

/// <summary>The providers page: whether a provider speaks the Responses API is shown, loaded into the form and saved.</summary>
public sealed class ProviderAdminShould : WebTestContext
{
    private readonly RecordingAdministration administration = new();

    public ProviderAdminShould()
    {
        Services.AddSingleton<IModelCatalog>(new FixedCatalog(new CatalogSnapshot(1,
            [Provider("openai", "OpenAI", speaksResponsesApi: true), Provider("deepseek", "DeepSeek", speaksResponsesApi: false)], [])));
        Services.AddSingleton<ICatalogAdministration>(administration);
        Authorization.SetAuthorized("curator@llmtr.test");
        Render<MudPopoverProvider>();
    }

    [Fact]
    public void KeepTheSettingOfTheProviderBeingEdited()
    {
        var page = Render<ProviderAdmin>();

        page.FindAll("button").First(b => b.GetAttribute("aria-label")?.Contains("OpenAI", StringComparison.Ordinal) == true).Click();
        page.FindAll("button").First(b => b.TextContent.Contains("Save", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.Equal(("openai", true), (administration.Saved?.Id, administration.Saved?.SpeaksResponsesApi)));
    }

    [Fact]
    public void SaveTheSettingWhenItIsTicked()
    {
        var page = Render<ProviderAdmin>();
        page.FindAll("button").First(b => b.GetAttribute("aria-label")?.Contains("DeepSeek", StringComparison.Ordinal) == true).Click();

        page.Find("input[type=checkbox]").Change(true);
        page.FindAll("button").First(b => b.TextContent.Contains("Save", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.Equal(("deepseek", true), (administration.Saved?.Id, administration.Saved?.SpeaksResponsesApi)));
    }

    [Theory]
    [InlineData("en", "Speaks the Responses API")]
    [InlineData("tr", "Responses API'yi konuşur")]
    public void NameTheSettingInTheReadersLanguage(string language, string label)
    {
        using var culture = new CultureScope(language);

        var page = Render<ProviderAdmin>();

        Assert.Contains(label, page.Find("[data-testid=admin-providers]").TextContent, StringComparison.Ordinal);
        Assert.Contains(label, page.Find(".llmtr-section").TextContent, StringComparison.Ordinal);
    }

    private static CatalogProvider Provider(string id, string name, bool speaksResponsesApi) =>
        new(id, name, ApiProtocol.OpenAi, $"https://api.{id}.test/v1", "US", null, new LocalizedText("Keeps 30 days.", "30 gün saklar."),
            ProviderStatus.Active, speaksResponsesApi);

    private sealed class FixedCatalog(CatalogSnapshot snapshot) : IModelCatalog
    {
        public CatalogSnapshot Current => snapshot;
    }

    /// <summary>Stands in for the catalog module: records the provider the page sent.</summary>
    private sealed class RecordingAdministration : ICatalogAdministration
    {
        public ProviderInput? Saved { get; private set; }

        public Task<CatalogCommandResult> SaveProviderAsync(ProviderInput input, string actor, CancellationToken cancellationToken = default)
        {
            Saved = input;
            return Task.FromResult(CatalogCommandResult.Ok);
        }

        public Task<CatalogCommandResult> SaveModelAsync(ModelInput input, string actor, CancellationToken cancellationToken = default) =>
            Task.FromResult(CatalogCommandResult.Ok);

        public Task<CatalogCommandResult> SetPriceAsync(PriceInput input, string actor, CancellationToken cancellationToken = default) =>
            Task.FromResult(CatalogCommandResult.Ok);

        public Task<IReadOnlyList<CatalogChangeEntry>> HistoryAsync(int take, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<CatalogChangeEntry>>([]);
    }
}
