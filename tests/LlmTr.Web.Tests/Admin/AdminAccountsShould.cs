using Bunit;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Contracts;
using LlmTr.Web.Pages.Admin.Accounts;
using LlmTr.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LlmTr.Web.Tests.Admin;

/// <summary>
/// The provider accounts page: where each credential comes from and its last four characters, a credential entered
/// and never shown back, field messages under the field, deployments without credentials, and the connection test.
/// </summary>
public sealed class AdminAccountsShould : WebTestContext
{
    private const string Secret = "sk-typed-Secret-0123456789-wxyz";
    private readonly RecordingAdministration administration = new();
    private readonly FixedProbe probe = new();

    public AdminAccountsShould()
    {
        var catalog = new TestCatalog().Current;
        var gpt = catalog.FindModel("openai/gpt-4o")!;
        var deepseek = catalog.FindModel("deepseek/deepseek-v4-flash")!;
        Services.AddSingleton<IModelCatalog>(new FixedCatalog(new CatalogSnapshot(2, catalog.Providers,
        [
            gpt with { Deployments = [Deployment(gpt.Id, "openai", "openai"), Deployment(gpt.Id, "azure-sweden", "azure-sweden")] },
            deepseek with { Deployments = [Deployment(deepseek.Id, "deepseek", "deepseek")] },
        ])));
        Services.AddSingleton<IDeploymentAdministration>(administration);
        Services.AddSingleton<IDeploymentProbe>(probe);
        Authorization.SetAuthorized("curator@llmtr.test");
        Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true)); // the forms wait for interactivity
        Render<MudPopoverProvider>();
    }

    [Fact]
    public void ShowWhereEachCredentialComesFromAndOnlyItsLastFourCharacters()
    {
        var page = Render<AdminAccounts>();

        Assert.Contains("Credential from configuration", page.Find("[data-testid=account-openai]").TextContent, StringComparison.Ordinal);
        Assert.Contains("…9999", page.Find("[data-testid=account-openai]").TextContent, StringComparison.Ordinal);
        Assert.Contains("No credential", page.Find("[data-testid=account-deepseek]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Credential set in the console", page.Find("[data-testid=account-azure-sweden]").TextContent, StringComparison.Ordinal);
        Assert.Contains("…abcd", page.Find("[data-testid=account-azure-sweden]").TextContent, StringComparison.Ordinal);
        Assert.Contains("admin@llmtr.test", page.Find("[data-testid=account-azure-sweden]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void SaveTheCredentialAndNeverRenderItBack()
    {
        var page = Render<AdminAccounts>();

        var input = page.Find("[data-testid=account-deepseek] input");
        Assert.Equal("password", input.GetAttribute("type"));
        input.Change(Secret);
        page.Find("[data-testid=account-deepseek] [data-testid=credential-save]").Click();

        page.WaitForAssertion(() => Assert.Equal(("deepseek", Secret, "curator@llmtr.test"), administration.Set));
        page.WaitForAssertion(() => Assert.Contains("…wxyz", page.Find("[data-testid=account-deepseek]").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain("Secret-0123456789", page.Markup, StringComparison.Ordinal);
        Assert.True(string.IsNullOrEmpty(page.Find("[data-testid=account-deepseek] input").GetAttribute("value")));
    }

    [Fact]
    public void ShowTheFieldMessageUnderTheFieldWithoutTheValue()
    {
        var page = Render<AdminAccounts>();

        page.Find("[data-testid=account-deepseek] input").Change("short Secret-0123456789");
        page.Find("[data-testid=account-deepseek] [data-testid=credential-save]").Click();

        page.WaitForAssertion(() => Assert.Contains(RecordingAdministration.Problem, page.Find("[data-testid=account-deepseek]").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain("Secret-0123456789", page.Markup, StringComparison.Ordinal);
        Assert.Null(administration.Set);
    }

    [Fact]
    public void ListTheDeploymentsWhoseAccountHasNoCredentialAndTestTheOthers()
    {
        var page = Render<AdminAccounts>();

        var missing = page.Find("[data-testid=deployments-without-credentials]").TextContent;
        Assert.Contains("deepseek/deepseek-v4-flash", missing, StringComparison.Ordinal);
        Assert.DoesNotContain("openai/gpt-4o", missing, StringComparison.Ordinal);

        page.Find("[data-testid='probe-openai/gpt-4o@azure-sweden'] button").Click();

        page.WaitForAssertion(() => Assert.Contains("The provider refused the credential", page.Find("[data-testid='probe-openai/gpt-4o@azure-sweden']").TextContent, StringComparison.Ordinal));
        Assert.Equal(("openai/gpt-4o", "azure-sweden"), probe.Tested);
    }

    [Theory]
    [InlineData("en", "Provider accounts", "Deployments without credentials")]
    [InlineData("tr", "Sağlayıcı hesapları", "Kimlik bilgisi olmayan dağıtımlar")]
    public void SpeakTheReadersLanguage(string language, string title, string section)
    {
        using var culture = new CultureScope(language);

        var page = Render<AdminAccounts>();

        Assert.Contains(title, page.Find("h1").TextContent, StringComparison.Ordinal);
        Assert.Contains(section, page.Markup, StringComparison.Ordinal);
    }

    private static CatalogDeployment Deployment(string modelId, string name, string account) =>
        new(modelId, name, account, ApiProtocol.OpenAi, $"https://{name}.example/v1", modelId.Split('/')[1], null, [], 1, DeploymentStatus.Active);

    private sealed class FixedCatalog(CatalogSnapshot snapshot) : IModelCatalog
    {
        public CatalogSnapshot Current => snapshot;
    }

    private sealed class FixedProbe : IDeploymentProbe
    {
        public (string, string)? Tested { get; private set; }

        public Task<ProbeResult> TestAsync(string modelId, string deploymentName, CancellationToken cancellationToken = default)
        {
            Tested = (modelId, deploymentName);
            return Task.FromResult(new ProbeResult(false, 401, TimeSpan.FromMilliseconds(120), "The provider refused the credential of account 'azure-sweden'."));
        }
    }

    /// <summary>Stands in for the catalog module: three accounts, and a credential refused when it has a space in it.</summary>
    private sealed class RecordingAdministration : IDeploymentAdministration
    {
        public const string Problem = "A credential is one line of visible ASCII characters, without spaces.";

        private readonly Dictionary<string, ProviderAccountView> accounts = new()
        {
            ["openai"] = new("openai", "OpenAI", true, CredentialSource.Configuration, "9999", null, null),
            ["deepseek"] = new("deepseek", "DeepSeek", true, CredentialSource.None, null, null, null),
            ["azure-sweden"] = new("azure-sweden", "Azure Sweden", false, CredentialSource.Console, "abcd", TestCatalog.Now, "admin@llmtr.test"),
        };

        public (string AccountId, string Credential, string Actor)? Set { get; private set; }

        public Task<CatalogCommandResult> SetCredentialAsync(string accountId, string credential, string actor, CancellationToken cancellationToken = default)
        {
            if (credential.Contains(' ', StringComparison.Ordinal))
            {
                return Task.FromResult(new CatalogCommandResult(new Dictionary<string, string[]> { ["Credential"] = [Problem] }));
            }

            Set = (accountId, credential, actor);
            accounts[accountId] = accounts[accountId] with { Source = CredentialSource.Console, Hint = credential[^4..], SetAt = TestCatalog.Now, SetBy = actor };
            return Task.FromResult(CatalogCommandResult.Ok);
        }

        public Task<CatalogCommandResult> ClearCredentialAsync(string accountId, string actor, CancellationToken cancellationToken = default) =>
            Task.FromResult(CatalogCommandResult.Ok);

        public Task<IReadOnlyList<ProviderAccountView>> AccountsAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<ProviderAccountView>>(accounts.Values.ToList());

        public Task<CatalogCommandResult> SaveDeploymentAsync(DeploymentInput input, string actor, CancellationToken cancellationToken = default) =>
            Task.FromResult(CatalogCommandResult.Ok);

        public Task<CatalogCommandResult> SaveAccountAsync(AccountInput input, string actor, CancellationToken cancellationToken = default) =>
            Task.FromResult(CatalogCommandResult.Ok);
    }
}
