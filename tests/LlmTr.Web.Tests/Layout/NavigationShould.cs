using Bunit;
using LlmTr.Identity;
using LlmTr.Web.Layout;
using LlmTr.Web.Tests.Support;
using LlmTr.Web.Theming;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Web.Tests.Layout;

public sealed class NavigationShould : WebTestContext
{
    // The layout says whether the page is interactive yet; as first served it is not.
    public NavigationShould() => Renderer.SetRendererInfo(new RendererInfo("Static", isInteractive: false));

    [Fact]
    public void OfferSignInAndRegisterToAnonymousVisitors()
    {
        var layout = RenderLayout();

        Assert.Equal("Sign in", layout.Find("a[href='/account/login']").TextContent.Trim());
        Assert.Equal("Register", layout.Find("a[href='/account/register']").TextContent.Trim());
        Assert.Empty(layout.FindAll("form[action='/account/logout']"));
        Assert.Empty(layout.FindAll("a[href='/dashboard']"));
    }

    [Fact]
    public void ShowTheEmailAndASignOutFormToSignedInUsers()
    {
        Authorization.SetAuthorized("dev@example.com");
        Authorization.SetRoles(LlmTrRoles.Developer);

        var layout = RenderLayout();

        Assert.Contains("dev@example.com", layout.Find(".llmtr-user").TextContent, StringComparison.Ordinal);
        var signOut = layout.Find("form[action='/account/logout']");
        Assert.Equal("post", signOut.GetAttribute("method"));
        Assert.Equal("Sign out", signOut.QuerySelector("button[type='submit']")!.TextContent.Trim());
        Assert.NotNull(layout.Find("a[href='/account/manage']"));
        Assert.NotNull(layout.Find("a[href='/dashboard']"));
        Assert.Empty(layout.FindAll("a[href='/account/login']"));
    }

    [Fact]
    public void HideTheAdminLinkFromDevelopers()
    {
        Authorization.SetAuthorized("dev@example.com");
        Authorization.SetRoles(LlmTrRoles.Developer);

        var layout = RenderLayout();

        Assert.Empty(layout.FindAll("a[href='/admin']"));
    }

    [Fact]
    public void ShowTheAdminLinkToAdmins()
    {
        Authorization.SetAuthorized("admin@example.com");
        Authorization.SetRoles(LlmTrRoles.Developer, LlmTrRoles.Admin);

        var layout = RenderLayout();

        Assert.Equal("Admin", layout.Find("a[href='/admin']").TextContent.Trim());
    }

    [Fact]
    public void PointTheThemeAndLanguageSwitchesBackAtTheCurrentPage()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/dashboard?tab=usage");

        var layout = RenderLayout();

        var theme = layout.Find("a[href^='/ui/theme']");
        Assert.Equal("/ui/theme?mode=dark&returnUrl=%2Fdashboard%3Ftab%3Dusage", theme.GetAttribute("href"));
        Assert.Equal("false", theme.GetAttribute("data-enhance-nav"));
        var culture = layout.Find("a[href^='/ui/culture']");
        Assert.Equal("/ui/culture?culture=tr&returnUrl=%2Fdashboard%3Ftab%3Dusage", culture.GetAttribute("href"));
        Assert.Equal("false", culture.GetAttribute("data-enhance-nav"));
    }

    [Fact]
    public void OfferTheLightThemeWhenDark()
    {
        var layout = RenderLayout(isDarkMode: true);

        var theme = layout.Find("a[href^='/ui/theme']");
        Assert.StartsWith("/ui/theme?mode=light&", theme.GetAttribute("href"), StringComparison.Ordinal);
        Assert.Equal("Light theme", theme.TextContent.Trim());
    }

    [Fact]
    public void OfferEnglishToTurkishVisitors()
    {
        using var turkish = new CultureScope("tr");

        var layout = RenderLayout();

        var culture = layout.Find("a[href^='/ui/culture']");
        Assert.StartsWith("/ui/culture?culture=en&", culture.GetAttribute("href"), StringComparison.Ordinal);
        Assert.Equal("Giriş yap", layout.Find("a[href='/account/login']").TextContent.Trim());
    }

    private IRenderedComponent<MainLayout> RenderLayout(bool isDarkMode = false) =>
        Render<MainLayout>(parameters => parameters
            .AddCascadingValue(ThemePreference.CascadingName, isDarkMode)
            .Add(p => p.Body, "<p>page</p>"));
}
