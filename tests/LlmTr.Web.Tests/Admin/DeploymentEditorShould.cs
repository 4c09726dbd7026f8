using Bunit;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Web.Pages.Admin.Catalog;
using LlmTr.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Web.Tests.Admin;

public sealed class DeploymentEditorShould : WebTestContext
{
    private static readonly DataPathHop Gateway = new("LLMTR gateway", "TR", "Istanbul", "Routes", "Metadata only", false, HopRetention.MetadataOnly);
    private static readonly DataPathHop Us = new("OpenAI", "US", null, "Runs the model", "Up to 30 days", false);
    private static readonly DataPathHop Sweden = new("Microsoft Azure OpenAI", "SE", "Sweden Central", "Runs the model", "Up to 30 days", false);

    private static readonly CatalogProvider Provider = new(
        "openai", "OpenAI", ApiProtocol.OpenAi, "https://api.openai.com/v1", "US", null, new LocalizedText("", ""), ProviderStatus.Active, SpeaksResponsesApi: true);

    private readonly RecordingDeployments administration = new();
    private readonly CatalogModel model;

    public DeploymentEditorShould()
    {
        DataPathHop[] published = [Gateway, Us];
        model = new CatalogModel(
            "openai/gpt-4o", "openai", "gpt-4o", "GPT-4o", new LocalizedText("A model.", "Bir model."), 128_000, 16_384, ["text"], ["text"], ["chat"], [],
            ModelStatus.Active, ModelVisibility.Public, [], null, published, [])
        {
            Deployments =
            [
                new("openai/gpt-4o", "openai", "openai", ApiProtocol.OpenAi, Provider.BaseUrl, "gpt-4o", "US", published, 100, DeploymentStatus.Active, true),
                new("openai/gpt-4o", "azure-sweden", "azure-sweden", ApiProtocol.AzureOpenAi, "https://llmtr.openai.azure.com/openai/v1", "gpt-4o-2024",
                    "Sweden Central", [Gateway, Sweden], 50, DeploymentStatus.Disabled),
            ],
        };
        Services.AddSingleton<IModelCatalog>(new FixedCatalog(new CatalogSnapshot(1, [Provider], [model])));
        Services.AddSingleton<IDeploymentAdministration>(administration);
        Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public void ListEveryDeploymentWithItsPathWeightAndStatus()
    {
        var editor = Render();

        var sweden = editor.Find("[data-testid=deployment-row-azure-sweden]").ParentElement!.TextContent; // the row of that name
        Assert.Contains("AzureOpenAi", sweden, StringComparison.Ordinal);
        Assert.Contains("TR → SE", sweden, StringComparison.Ordinal);
        Assert.Contains("50", sweden, StringComparison.Ordinal);
        Assert.Contains("Disabled", sweden, StringComparison.Ordinal);
        Assert.Contains("TR → US", editor.Find("[data-testid=deployment-row-openai]").ParentElement!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void SaveTheDefaultDeploymentWithWhatItTakesFromTheProviderAndModelLeftEmpty()
    {
        var editor = Render();

        editor.Find("button[aria-label='Edit deployment openai']").Click();
        Field(editor, "deployment-weight").Change("300");
        editor.Find("[data-testid=save-deployment]").Click();

        editor.WaitForAssertion(() => Assert.NotNull(administration.Saved));
        var saved = administration.Saved!;
        Assert.Equal(("openai", "openai", 300), (saved.Name, saved.AccountId, saved.Weight));
        Assert.Equal(("", "", ""), (saved.Protocol, saved.BaseUrl, saved.UpstreamName)); // the provider's and the model's, still
        Assert.Empty(saved.DataPath); // the model's published path
        Assert.Contains("Deployment openai saved.", editor.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void EditADeploymentsOwnPathAndShowWhatTheCatalogRefuses()
    {
        var editor = Render();
        editor.Find("button[aria-label='Edit deployment azure-sweden']").Click();
        Assert.Equal(2, editor.FindAll("[data-testid^=deployment-hop-purpose-en-]").Count); // its own path, hop by hop

        administration.Answer = new CatalogCommandResult(new Dictionary<string, string[]>
        {
            [nameof(DeploymentInput.Weight)] = ["The weight is a share from 0 to 1000."],
            ["DataPath[1].Country"] = ["Use the two-letter country code in capitals."],
        });
        editor.Find("[data-testid=save-deployment]").Click();

        editor.WaitForAssertion(() => Assert.Contains("The weight is a share from 0 to 1000.", editor.Markup, StringComparison.Ordinal));
        Assert.Contains("Use the two-letter country code in capitals.", editor.Markup, StringComparison.Ordinal);
        var saved = administration.Saved!;
        Assert.Equal(("AzureOpenAi", "https://llmtr.openai.azure.com/openai/v1", "gpt-4o-2024"), (saved.Protocol, saved.BaseUrl, saved.UpstreamName));
        Assert.Equal(["TR", "SE"], saved.DataPath.Select(h => h.Country));
        Assert.Equal(nameof(DeploymentStatus.Disabled), saved.Status);
    }

    private IRenderedComponent<DeploymentEditor> Render() =>
        Render<DeploymentEditor>(parameters => parameters.Add(p => p.Model, model).Add(p => p.Actor, "curator@llmtr.test"));

    private static AngleSharp.Dom.IElement Field(IRenderedComponent<DeploymentEditor> editor, string testId) =>
        editor.Find($"textarea[data-testid={testId}], [data-testid={testId}] textarea, input[data-testid={testId}], [data-testid={testId}] input, [data-testid={testId}]");

    private sealed class FixedCatalog(CatalogSnapshot snapshot) : IModelCatalog
    {
        public CatalogSnapshot Current => snapshot;
    }

    /// <summary>Stands in for the catalog module: records what the page sent and answers as told.</summary>
    internal sealed class RecordingDeployments : IDeploymentAdministration
    {
        public CatalogCommandResult Answer { get; set; } = CatalogCommandResult.Ok;

        public DeploymentInput? Saved { get; private set; }

        public Task<CatalogCommandResult> SaveDeploymentAsync(DeploymentInput input, string actor, CancellationToken cancellationToken = default)
        {
            Saved = input;
            return Task.FromResult(Answer);
        }

        public Task<CatalogCommandResult> SaveAccountAsync(AccountInput input, string actor, CancellationToken cancellationToken = default) =>
            Task.FromResult(Answer);

        public Task<CatalogCommandResult> SetCredentialAsync(string accountId, string credential, string actor, CancellationToken cancellationToken = default) =>
            Task.FromResult(Answer);

        public Task<CatalogCommandResult> ClearCredentialAsync(string accountId, string actor, CancellationToken cancellationToken = default) =>
            Task.FromResult(Answer);

        public Task<IReadOnlyList<ProviderAccountView>> AccountsAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<ProviderAccountView>>([]);
    }
}
