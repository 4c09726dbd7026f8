using Bunit;
using LlmTr.Identity;
using LlmTr.Web.Layout;
using LlmTr.Web.Tests.Support;
using LlmTr.Web.Theming;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Web.Tests.Layout;

/// <summary>The site menu: one row on wide screens, a drawer behind a named menu button on narrow ones.</summary>
public sealed class SiteMenuShould : WebTestContext
{
    public SiteMenuShould() => Renderer.SetRendererInfo(new RendererInfo("Static", isInteractive: false));

    [Fact]
    public void OfferAMenuButtonWithANameThatControlsTheMenuAndStartsClosed()
    {
        var layout = RenderLayout();

        var button = layout.Find("button[data-llmtr-menu=toggle]");
        Assert.Equal("Menu", button.GetAttribute("aria-label"));
        Assert.Equal("false", button.GetAttribute("aria-expanded"));
        Assert.Equal(SiteMenu.Id, button.GetAttribute("aria-controls"));
        var menu = layout.Find($"#{SiteMenu.Id}");
        Assert.False(menu.HasAttribute("data-open"));
        Assert.Equal("panel", menu.GetAttribute("data-llmtr-menu"));
    }

    [Fact]
    public void NameTheMenuButtonInTurkish()
    {
        using var turkish = new CultureScope("tr");

        Assert.Equal("Menü", RenderLayout().Find("button[data-llmtr-menu=toggle]").GetAttribute("aria-label"));
    }

    [Fact]
    public void HoldTheNavigationThePreferencesAndTheAccountLinksInTheMenu()
    {
        Authorization.SetAuthorized("dev@example.com");
        Authorization.SetRoles(LlmTrRoles.Developer);

        var menu = RenderLayout().Find($"#{SiteMenu.Id}");

        Assert.NotNull(menu.QuerySelector("nav.llmtr-nav a[href='/dashboard/requests']"));
        Assert.NotNull(menu.QuerySelector("a[href^='/ui/theme']"));
        Assert.NotNull(menu.QuerySelector("a[href^='/ui/culture']"));
        Assert.NotNull(menu.QuerySelector("a[href='/account/manage']"));
        Assert.NotNull(menu.QuerySelector("form[action='/account/logout']"));
    }

    [Fact]
    public void RenderOneMainNavigationOnly()
    {
        Authorization.SetAuthorized("admin@example.com");
        Authorization.SetRoles(LlmTrRoles.Developer, LlmTrRoles.Admin);

        var layout = RenderLayout();

        Assert.Single(layout.FindAll("nav"));
        Assert.Single(layout.FindAll("a[href='/admin']"));
    }

    [Theory]
    [InlineData("/", "/")]
    [InlineData("/models", "/models")]
    [InlineData("/models/openai/gpt-4o", "/models")]
    [InlineData("/docs/en/errors", "/docs")]
    [InlineData("/dashboard", "/dashboard")]
    [InlineData("/dashboard/requests", "/dashboard/requests")]
    [InlineData("/dashboard/requests/req_0123", "/dashboard/requests")]
    [InlineData("/dashboard/billing/receipts/42?print=1", "/dashboard/billing")]
    [InlineData("/admin/catalog/models/openai/gpt-4o", "/admin")]
    [InlineData("/account/manage/two-factor", "/account/manage")]
    [InlineData("/dashboard/settings", "/account/manage")]
    public void MarkTheLinkOfTheCurrentPageOrItsSectionAsCurrent(string address, string link)
    {
        Authorization.SetAuthorized("admin@example.com");
        Authorization.SetRoles(LlmTrRoles.Developer, LlmTrRoles.Admin);
        Services.GetRequiredService<NavigationManager>().NavigateTo(address);

        var current = RenderLayout().FindAll("[aria-current]");

        var only = Assert.Single(current);
        Assert.Equal(link, only.GetAttribute("href"));
        Assert.Equal("page", only.GetAttribute("aria-current"));
    }

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/billing/test-checkout/7")]
    [InlineData("/dashboardx")]
    public void MarkNothingWhereNoLinkStandsForThePage(string address)
    {
        Authorization.SetAuthorized("dev@example.com");
        Authorization.SetRoles(LlmTrRoles.Developer);
        Services.GetRequiredService<NavigationManager>().NavigateTo(address);

        Assert.Empty(RenderLayout().FindAll("[aria-current]"));
    }

    [Fact]
    public void MoveTheMarkWhenTheLayoutRendersTheNextPage()
    {
        Authorization.SetAuthorized("dev@example.com");
        Authorization.SetRoles(LlmTrRoles.Developer);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/dashboard/keys");
        var layout = RenderLayout();

        // Interactive navigation renders the layout again with the next page as its body.
        navigation.NavigateTo("/dashboard/playground");
        layout.Render(parameters => parameters.Add(p => p.Body, "<p>next</p>"));

        Assert.Equal("/dashboard/playground", Assert.Single(layout.FindAll("[aria-current=page]")).GetAttribute("href"));
    }

    private IRenderedComponent<MainLayout> RenderLayout() =>
        Render<MainLayout>(parameters => parameters
            .AddCascadingValue(ThemePreference.CascadingName, false)
            .Add(p => p.Body, "<p>page</p>"));
}
