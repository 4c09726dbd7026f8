using Bunit;
using LlmTr.Identity.Administration;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Web.Pages.Admin;
using LlmTr.Web.Tests.Support;

namespace LlmTr.Web.Tests.Pages;

public sealed class AdminHomeShould : WebTestContext
{
    [Fact]
    public void LinkToTheJobDashboardWithAFullPageLoad()
    {
        AddAdminServices();

        var admin = Render<AdminHome>();

        var jobs = admin.Find("a[href='/admin/jobs']");
        Assert.Equal("false", jobs.GetAttribute("data-enhance-nav"));
        Assert.Contains("catalog", admin.Markup, StringComparison.Ordinal);
        Assert.NotNull(admin.Find("a[href='/admin/users']"));
        Assert.NotNull(admin.Find("a[href='/admin/audit']"));
    }

    [Fact]
    public void ShowUsersMarginRevenueTopModelsAndTheErrorRate()
    {
        var users = AddAdminServices(new PlatformOverview(
            MarginRevenue: 63.6m, MarginRevenueSince: 6m, CompletedTopUpsSince: 1, Currency: "USD", Requests: 200, FailedRequests: 5, Spend: 3.25m,
            TopModels: [new ModelActivity("openai/gpt-4o", 150, 5, 3m), new ModelActivity("llmtr/demo", 50, 0, 0.25m)]));
        users.Users.Add(new AdminUser("u1", "a@example.com", DateTimeOffset.UtcNow, false, false, true));
        users.Users.Add(new AdminUser("u2", "b@example.com", DateTimeOffset.UtcNow, false, false, false));

        var admin = Render<AdminHome>();

        Assert.Equal("2", admin.Find("[data-testid=admin-users-count]").TextContent.Trim());
        Assert.Equal("63.60 USD", admin.Find("[data-testid=admin-revenue]").TextContent.Trim());
        Assert.Equal("2.5%", admin.Find("[data-testid=admin-error-rate]").TextContent.Trim().Replace(" ", "", StringComparison.Ordinal));
        var rows = admin.FindAll("[data-testid=admin-top-models] tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("openai/gpt-4o", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("3.3%", rows[0].TextContent.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
