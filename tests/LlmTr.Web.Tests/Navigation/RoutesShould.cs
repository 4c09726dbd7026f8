using Bunit;
using LlmTr.Identity;
using LlmTr.Web.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Web.Tests.Navigation;

public sealed class RoutesShould : WebTestContext
{
    [Fact]
    public void SendAnonymousVisitorsToSignInAndBack()
    {
        var navigation = NavigateTo("/dashboard?tab=usage");

        Render<Routes>();

        Assert.Equal("http://localhost/account/login?returnUrl=%2Fdashboard%3Ftab%3Dusage", navigation.Uri);
    }

    [Fact]
    public void TellSignedInUsersWithoutTheRoleThatTheyHaveNoAccess()
    {
        Authorization.SetAuthorized("dev@example.com");
        Authorization.SetRoles(LlmTrRoles.Developer);
        var navigation = NavigateTo("/admin");

        var routes = Render<Routes>();

        Assert.Equal("No access", routes.Find("h1").TextContent.Trim());
        Assert.Equal("http://localhost/admin", navigation.Uri);
    }

    [Fact]
    public void OpenTheAdminConsoleForAdmins()
    {
        Authorization.SetAuthorized("admin@example.com");
        Authorization.SetRoles(LlmTrRoles.Developer, LlmTrRoles.Admin);
        AddAdminServices();
        NavigateTo("/admin");

        var routes = Render<Routes>();

        Assert.Equal("Admin console", routes.Find("h1").TextContent.Trim());
    }

    private NavigationManager NavigateTo(string uri)
    {
        // The layout reads whether it is interactive; routing is checked as prerendered. Set here, once services are added.
        Renderer.SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(uri);
        return navigation;
    }
}
