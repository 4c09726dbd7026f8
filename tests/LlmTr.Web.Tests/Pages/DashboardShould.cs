using Bunit;
using LlmTr.Web.Pages;
using LlmTr.Web.Tests.Support;

namespace LlmTr.Web.Tests.Pages;

public sealed class DashboardShould : WebTestContext
{
    [Fact]
    public void WelcomeTheSignedInUser()
    {
        Authorization.SetAuthorized("dev@example.com");

        var dashboard = Render<Dashboard>();

        Assert.Equal("Welcome, dev@example.com", dashboard.Find("h1").TextContent.Trim());
    }

    [Fact]
    public void ShowAnEmptyStateWhoseNextStepsLinkOnlyToPagesThatExist()
    {
        Authorization.SetAuthorized("dev@example.com");

        var dashboard = Render<Dashboard>();

        var emptyState = dashboard.Find("[data-testid='dashboard-empty-state']");
        Assert.Contains("No API keys and no usage yet", emptyState.TextContent, StringComparison.Ordinal);
        Assert.Equal(3, emptyState.QuerySelectorAll("ol > li").Length);
        // Keys and top-ups have pages; the first request does not, so it stays text.
        Assert.Equal(["/dashboard/keys", "/dashboard/billing"], emptyState.QuerySelectorAll("a").Select(a => a.GetAttribute("href")));
    }
}
