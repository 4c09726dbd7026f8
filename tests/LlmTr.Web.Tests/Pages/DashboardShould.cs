using System.Security.Claims;
using Bunit;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Web.Pages;
using LlmTr.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LlmTr.Web.Tests.Pages;

public sealed class DashboardShould : WebTestContext
{
    private readonly FakeAccount account = new();

    public DashboardShould()
    {
        Services.AddSingleton<IBillingAccounts>(account);
        Services.AddSingleton<IUsageHistory>(account);
        Services.AddSingleton<IApiKeys>(account);
        Services.AddSingleton<IModelCatalog>(new TestCatalog());
        Services.AddSingleton<TimeProvider>(new FakeTimeProvider(TestCatalog.Now));
        Authorization.SetAuthorized("dev@example.com");
        Authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, "user-1"));
        ActInPersonalOrganisation("user-1");
        Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public void WelcomeTheSignedInUser()
    {
        var dashboard = Render<Dashboard>();

        Assert.Equal("Welcome, dev@example.com", dashboard.Find("h1").TextContent.Trim());
    }

    [Fact]
    public void GuideANewUserThroughKeyTopUpAndFirstRequestWithAQuickstartForAListedModel()
    {
        var dashboard = Render<Dashboard>();

        var emptyState = dashboard.Find("[data-testid='dashboard-empty-state']");
        Assert.Equal(["/account/manage", "/dashboard/keys", "/dashboard/billing", "/dashboard/playground"],
            emptyState.QuerySelectorAll("ol > li a").Select(a => a.GetAttribute("href")));
        Assert.Single(emptyState.QuerySelectorAll(".llmtr-step-done")); // only the account itself
        var snippet = dashboard.Find("[data-testid='quickstart-snippet']").TextContent;
        Assert.Contains("/v1/chat/completions", snippet, StringComparison.Ordinal);
        Assert.Contains("\"model\": \"llmtr/demo\"", snippet, StringComparison.Ordinal); // the free demo model first
        Assert.Contains("$LLMTR_API_KEY", snippet, StringComparison.Ordinal);
        Assert.Contains("No requests yet", dashboard.Find("[data-testid='latest-requests']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ShowBalanceMonthSpendTodaysRequestsAndTheLatestRequests()
    {
        account.Balance = 12.5m;
        account.Keys.Add(FakeAccount.Key("ci", TestCatalog.Now.AddDays(-3)));
        account.Rows.Add(FakeAccount.Row("req_1", TestCatalog.Now.AddHours(-1), cost: 0.25m));
        account.Rows.Add(FakeAccount.Row("req_2", TestCatalog.Now.AddHours(-2), cost: 0.5m));
        account.Rows.Add(FakeAccount.Row("req_3", TestCatalog.Now.AddDays(-3), cost: 1m)); // 29 May: last month, as "now" is 1 June
        account.Rows.Add(FakeAccount.Row("req_4", TestCatalog.Now.AddDays(-40), cost: 7m)); // last month

        var dashboard = Render<Dashboard>();

        Assert.Equal("12.50 USD", dashboard.Find("[data-testid='dashboard-balance']").TextContent.Trim());
        Assert.Contains("0.75 USD", dashboard.Find("[data-testid='stat-month']").TextContent, StringComparison.Ordinal);
        Assert.Contains("2", dashboard.Find("[data-testid='stat-today'] p").TextContent, StringComparison.Ordinal);
        Assert.Empty(dashboard.FindAll("[data-testid='dashboard-empty-state']")); // every step done
        Assert.Equal(4, dashboard.FindAll("[data-testid='latest-requests'] tbody tr").Count);
        Assert.Equal("/dashboard/requests/req_1", dashboard.Find("[data-testid='latest-requests'] tbody tr a").GetAttribute("href"));
    }

    [Fact]
    public void CheckOffAKeyMadeEvenIfRevokedSinceAndTheFirstRequestOnTheFirstRunCard()
    {
        account.Keys.Add(FakeAccount.Key("old", TestCatalog.Now.AddDays(-3)) with { RevokedAt = TestCatalog.Now.AddDays(-1) });
        account.Rows.Add(FakeAccount.Row("req_1", TestCatalog.Now.AddHours(-1), cost: 0m));

        var dashboard = Render<Dashboard>();

        Assert.Equal(["true", "true", "false", "true"],
            dashboard.FindAll("[data-testid='first-run-steps'] > li").Select(li => li.GetAttribute("data-done")));
    }
}
