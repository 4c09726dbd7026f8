using System.Net;
using LlmTr.Identity;
using LlmTr.IntegrationTests.Accounts;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Testing;
using LlmTr.Web.Pages.Admin.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Admin;

/// <summary>The audit log names people by e-mail, whoever recorded them by id, and shows why an account was disabled.</summary>
public sealed class AuditLogNamesShould(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task NameActorsAndSubjectsByEmailAndShowTheDisablingReason()
    {
        var (adminId, admin) = await TestAccounts.SignInAsync(fixture.Host, isAdmin: true);
        using var _ = admin;
        var userId = await TestAccounts.CreateUserAsync(fixture.Host);
        var email = await EmailOfAsync(userId);
        var adminEmail = await EmailOfAsync(adminId);
        Assert.True((await fixture.Host.Services.GetRequiredService<IBillingAdministration>().AdjustAsync(userId, 5m, "goodwill credit", adminId)).Succeeded);
        var disabled = await fixture.Host.Services.GetRequiredService<AccountSuspension>().DisableAsync(userId, adminId, adminEmail, "Card testing from this account");
        Assert.Equal(SuspensionOutcome.Done, disabled.Outcome);

        var page = await admin.GetAsync("/admin/audit");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"account:{email}", html, StringComparison.Ordinal);
        Assert.Contains($"user:{email}", html, StringComparison.Ordinal);
        Assert.Contains("Card testing from this account", html, StringComparison.Ordinal);
        Assert.DoesNotContain(userId, html, StringComparison.Ordinal);
        Assert.DoesNotContain(adminId, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisableNobodyWithoutAReason()
    {
        var adminId = await TestAccounts.CreateUserAsync(fixture.Host, isAdmin: true);
        var (userId, key) = await TestAccounts.CreateKeyAsync(fixture.Host);

        var result = await fixture.Host.Services.GetRequiredService<AccountSuspension>().DisableAsync(userId, adminId, "admin@llmtr.test", "   ");

        Assert.Equal(SuspensionOutcome.ReasonMissing, result.Outcome);
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByIdAsync(userId);
        Assert.Null(user!.LockoutEnd);
        Assert.Null((await fixture.Host.Services.GetRequiredService<LlmTr.Modules.Keys.Contracts.IApiKeys>().ListAsync(LlmTr.Modules.Keys.Contracts.KeyHolder.Personal(userId))).Single(k => k.Id == key.Id).RevokedAt);
    }

    private async Task<string> EmailOfAsync(string userId)
    {
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByIdAsync(userId))!.Email!;
    }
}
