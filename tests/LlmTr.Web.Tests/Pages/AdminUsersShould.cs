using System.Security.Claims;
using Bunit;
using LlmTr.Identity;
using LlmTr.Identity.Administration;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Web.Pages.Admin.Users;
using LlmTr.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Web.Tests.Pages;

public sealed class AdminUsersShould : WebTestContext
{
    private readonly FakeUserAdministration users;
    private readonly FakeKeyAdministration keys = new();

    public AdminUsersShould()
    {
        Authorization.SetAuthorized("admin@example.com");
        Authorization.SetRoles(LlmTrRoles.Admin);
        Authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, "admin-id"));
        users = AddAdminServices();
        Services.AddSingleton<IApiKeyAdministration>(keys);
        Services.AddSingleton<IBalanceQuery>(new FakeBalances());
        Services.AddSingleton<AccountSuspension>();
        users.Users.Add(new AdminUser("admin-id", "admin@example.com", DateTimeOffset.UtcNow, false, true, true));
        users.Users.Add(new AdminUser("dev-id", "dev@example.com", DateTimeOffset.UtcNow, false, false, false));
        keys.Keys.Add(new OwnedApiKey("dev-id", new ApiKeySummary(Guid.NewGuid(), "backend", "llmtr-ab…cd", DateTimeOffset.UtcNow, null, null, null, null, ApiKeyScope.Unrestricted, null, null) { MemberUserId = "dev-id" }, null));
        Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public void OfferNoWayForAnAdminToDisableThemselves()
    {
        var page = Render<AdminUsers>();

        var buttons = page.FindAll("[data-testid=disable-user]");
        Assert.Single(buttons);
        Assert.Equal("Disable dev@example.com", buttons[0].GetAttribute("aria-label"));
        Assert.Contains("1 active of 1", page.Find("[data-testid=admin-users]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisableAfterConfirmationRevokeTheKeysAndSaySo()
    {
        var page = Render<AdminUsers>();
        var dialogs = Render<MudBlazor.MudDialogProvider>();

        await page.InvokeAsync(() => page.Find("[data-testid=disable-user]").Click());
        dialogs.WaitForElement(".mud-dialog textarea").Input("Card testing from this account");
        dialogs.Find("[data-testid=confirm-disable]").Click();

        page.WaitForAssertion(() => Assert.Contains("dev@example.com is disabled; 1 API keys were revoked.", page.Find("[data-testid=admin-users-message]").TextContent, StringComparison.Ordinal));
        Assert.True(users.Users.Single(u => u.Id == "dev-id").IsDisabled);
        Assert.NotNull(keys.Keys.Single().Key.RevokedAt);
        Assert.Single(page.FindAll("[data-testid=enable-user]"));
        Assert.Equal("Card testing from this account", users.Reasons["dev-id"]);
    }

    [Fact]
    public async Task DisableNobodyWithoutAReason()
    {
        var page = Render<AdminUsers>();
        var dialogs = Render<MudBlazor.MudDialogProvider>();

        await page.InvokeAsync(() => page.Find("[data-testid=disable-user]").Click());
        dialogs.WaitForElement("[data-testid=confirm-disable]").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("Give the reason for disabling this account.", dialogs.Markup, StringComparison.Ordinal));
        Assert.False(users.Users.Single(u => u.Id == "dev-id").IsDisabled);
        Assert.Empty(users.Reasons);
        Assert.Null(keys.Keys.Single().Key.RevokedAt);
    }
}
