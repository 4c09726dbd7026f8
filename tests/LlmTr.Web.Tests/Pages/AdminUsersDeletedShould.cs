using System.Security.Claims;
using Bunit;
using LlmTr.Identity;
using LlmTr.Identity.Administration;
using LlmTr.Web.Pages.Admin.Users;
using LlmTr.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Web.Tests.Pages;

/// <summary>An account its owner deleted, as the admin users page shows it: marked deleted, with nothing to enable or disable.</summary>
public sealed class AdminUsersDeletedShould : WebTestContext
{
    [Fact]
    public void MarkADeletedAccountAndOfferNoActionOnIt()
    {
        Authorization.SetAuthorized("admin@example.com");
        Authorization.SetRoles(LlmTrRoles.Admin);
        Authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, "admin-id"));
        var users = AddAdminServices();
        Services.AddSingleton<LlmTr.Modules.Keys.Contracts.IApiKeyAdministration>(new FakeKeyAdministration());
        Services.AddSingleton<LlmTr.Modules.Billing.Contracts.IBalanceQuery>(new FakeBalances());
        Services.AddSingleton<AccountSuspension>();
        users.Users.Add(new AdminUser("gone-id", "deleted-gone-id@invalid", DateTimeOffset.UtcNow, IsDisabled: true, false, false, IsDeleted: true));
        Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));

        var page = Render<AdminUsers>();

        Assert.Equal("Deleted", page.Find("[data-testid=user-deleted]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=enable-user]"));
        Assert.Empty(page.FindAll("[data-testid=disable-user]"));
    }
}
