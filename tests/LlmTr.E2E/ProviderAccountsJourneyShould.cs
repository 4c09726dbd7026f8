using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Testing.Upstreams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LlmTr.E2E;

/// <summary>An admin adds a provider account, gives it a credential, sees only its last four characters, tests a deployment with it and finds it on the health page.</summary>
public sealed class ProviderAccountsJourneyShould(SiteFixture site) : IClassFixture<SiteFixture>, IAsyncLifetime
{
    private const string Credential = "sk-lab-Journey-0123456789-wxyz";
    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync() =>
        _upstream = await FakeUpstream.StartAsync((request, context) =>
            request.Method == "GET" && request.PathAndQuery == "/v1/models" && request.Header("Authorization") == $"Bearer {Credential}"
                ? Sse.JsonAsync(context, 200, FakeOpenAi.ModelList("lab-model"))
                : Sse.JsonAsync(context, 401, FakeOpenAi.Error("Incorrect API key provided.", "invalid_request_error")));

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public async Task SetACredentialSeeOnlyItsHintAndTestADeploymentWithIt()
    {
        var page = await site.NewPageAsync();
        await SiteFixture.JourneyAsync(page, "provider-accounts", async () =>
        {
            await Visitors.SignInAsync(page, SiteFixture.AdminEmail, SiteFixture.AdminPassword);
            await page.GotoAsync("/admin/accounts");
            await Assertions.Expect(page.Locator("main[data-interactive=true]")).ToBeAttachedAsync();

            await page.Locator("[data-testid=account-id] input, input[data-testid=account-id]").First.FillAsync("e2e-lab");
            await page.Locator("[data-testid=account-name] input, input[data-testid=account-name]").First.FillAsync("E2E Lab");
            await page.GetByTestId("account-add").ClickAsync();
            var card = page.GetByTestId("account-e2e-lab");
            await Assertions.Expect(card).ToContainTextAsync("No credential");

            // The site has no deployment editor page yet: the deployment that uses the new account is made through the module.
            var saved = await site.Services.GetRequiredService<IDeploymentAdministration>().SaveDeploymentAsync(new DeploymentInput(
                "mistral/mistral-large-latest", "lab", "e2e-lab", "", new Uri(_upstream.BaseAddress, "/v1").ToString(), "", null, [], 1,
                nameof(DeploymentStatus.Active)), SiteFixture.AdminEmail);
            Assert.True(saved.Succeeded, string.Join(" ", saved.Errors.SelectMany(e => e.Value)));
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("main[data-interactive=true]")).ToBeAttachedAsync();
            await Assertions.Expect(page.GetByTestId("deployments-without-credentials")).ToContainTextAsync("e2e-lab");

            var field = card.Locator("input[type=password]");
            await field.FillAsync(Credential);
            await card.GetByTestId("credential-save").ClickAsync();

            await Assertions.Expect(card.GetByTestId("account-hint")).ToHaveTextAsync("…wxyz");
            await Assertions.Expect(card).ToContainTextAsync("Credential set in the console");
            await Assertions.Expect(card.Locator("input[type=password]")).ToHaveValueAsync("");
            Assert.DoesNotContain("Journey-0123456789", await page.ContentAsync(), StringComparison.Ordinal);

            var probe = page.GetByTestId("probe-mistral/mistral-large-latest@lab");
            await probe.GetByTestId("probe-button").ClickAsync();
            await Assertions.Expect(probe.GetByTestId("probe-result")).ToContainTextAsync("It works");
            Assert.Contains(_upstream.Received, r => r.PathAndQuery == "/v1/models" && r.Header("Authorization") == $"Bearer {Credential}");
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: true);

            // Its health: listed with the model's deployments, with no request yet in the last hour.
            await page.GotoAsync("/admin/health");
            var row = page.Locator("tr", new() { HasText = "mistral/mistral-large-latest" }).Filter(new() { HasText = "lab" });
            await Assertions.Expect(row.GetByTestId("health-requests")).ToHaveTextAsync("0");
        });
    }
}
