using System.Net;
using LlmTr.Identity;
using LlmTr.Identity.Audit;
using LlmTr.IntegrationTests.Catalog;
using LlmTr.IntegrationTests.Keys;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.SharedKernel;
using LlmTr.Testing;
using LlmTr.Web.Pages.Admin.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Admin;

public sealed class AdminConsoleShould(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private IServiceProvider Services => fixture.Host.Services;

    [Fact]
    public async Task DisableAUserSoTheyAreSignedOutCannotSignInAndTheirKeysAreRefused()
    {
        var (userId, browser) = await TestAccounts.SignInAsync(fixture.Host);
        using var _ = browser;
        var email = await EmailOfAsync(userId);
        var key = (await Services.GetRequiredService<IApiKeys>().CreateAsync(userId, new NewApiKey("backend"))).Key!;
        using var client = fixture.Host.CreateClient();
        await Poll.UntilAsync(async () => (await ApiKeysShould.SendAsync(client, key.RawKey)).StatusCode == HttpStatusCode.OK, "the new key to work");
        var adminId = await TestAccounts.CreateUserAsync(fixture.Host, isAdmin: true);

        var result = await Services.GetRequiredService<AccountSuspension>().DisableAsync(userId, adminId, "admin@llmtr.test", "Card testing from this account");

        Assert.Equal(SuspensionOutcome.Done, result.Outcome);
        Assert.Equal(1, result.RevokedKeys);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/dashboard")).StatusCode);
        using var again = new FormClient(fixture.Host);
        var signIn = await SignInAsync(again, email);
        // With the right password the person is told the account was disabled, not that it is locked for a while.
        Assert.Equal("/account/disabled", FormClient.LocationOf(signIn));
        var told = await (await again.GetAsync("/account/disabled")).Content.ReadAsStringAsync();
        Assert.Contains("This account has been disabled by an administrator. Contact support.", told, StringComparison.Ordinal);
        await Poll.UntilAsync(async () => (await ApiKeysShould.SendAsync(client, key.RawKey)).StatusCode == HttpStatusCode.Unauthorized,
            "the revoked key to be refused");
        var audit = await AuditAsync(email);
        Assert.Contains(audit, a => a.Action == AdminActions.UserDisabled && a.Actor == "admin@llmtr.test" && a.Details == "Card testing from this account");
        Assert.Contains((await AuditAsync(userId)), a => a.Action == AdminActions.KeyRevoked && a.Actor == adminId);
    }

    [Fact]
    public async Task EnableADisabledUserWhoseRevokedKeysStayRevoked()
    {
        var (userId, key) = await TestAccounts.CreateKeyAsync(fixture.Host);
        var email = await EmailOfAsync(userId);
        var adminId = await TestAccounts.CreateUserAsync(fixture.Host, isAdmin: true);
        var suspension = Services.GetRequiredService<AccountSuspension>();
        await suspension.DisableAsync(userId, adminId, "admin@llmtr.test", "Chargeback");

        var enabled = await suspension.EnableAsync(userId, "admin@llmtr.test");

        Assert.Equal(SuspensionOutcome.Done, enabled.Outcome);
        using var browser = new FormClient(fixture.Host);
        Assert.Equal("/dashboard", FormClient.LocationOf(await SignInAsync(browser, email)));
        Assert.All(await Services.GetRequiredService<IApiKeys>().ListAsync(userId), k => Assert.NotNull(k.RevokedAt));
        using var client = fixture.Host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await ApiKeysShould.SendAsync(client, key.RawKey)).StatusCode);
        Assert.Contains(await AuditAsync(email), a => a.Action == AdminActions.UserEnabled);
    }

    [Fact]
    public async Task RefuseToLetAnAdminDisableThemselves()
    {
        var adminId = await TestAccounts.CreateUserAsync(fixture.Host, isAdmin: true);

        var result = await Services.GetRequiredService<AccountSuspension>().DisableAsync(adminId, adminId, "admin@llmtr.test", "Testing");

        Assert.Equal(SuspensionOutcome.CannotDisableSelf, result.Outcome);
        Assert.Empty(await AuditAsync(await EmailOfAsync(adminId)));
    }

    [Fact]
    public async Task AuditPriceChangesAdjustmentsAndKeyRevocationsButNotRefusedOnes()
    {
        var actor = $"admin-{Guid.NewGuid():N}@llmtr.test";
        var (userId, key) = await TestAccounts.CreateKeyAsync(fixture.Host);
        var catalog = Services.GetRequiredService<IModelCatalog>();
        await Poll.UntilAsync(() => Task.FromResult(catalog.Current.Models.Count > 0), "the catalog to load");
        var modelId = catalog.Current.Models[0].Id;

        var price = await Services.GetRequiredService<ICatalogAdministration>().SetPriceAsync(
            new PriceInput(modelId, "OutputTokensPerMillion", 9.5m, DateTimeOffset.UtcNow.AddDays(30)), actor);
        var adjusted = await Services.GetRequiredService<IBillingAdministration>().AdjustAsync(userId, 12m, "goodwill credit", actor);
        var refused = await Services.GetRequiredService<IBillingAdministration>().AdjustAsync(userId, 12m, "", actor);
        Assert.True(await Services.GetRequiredService<IApiKeyAdministration>().RevokeAsync(key.Id, actor));

        Assert.True(price.Succeeded, string.Join(" ", price.Errors.SelectMany(e => e.Value)));
        Assert.True(adjusted.Succeeded);
        Assert.False(refused.Succeeded);
        var audit = await AuditAsync(actor);
        Assert.Equal(
            [AdminActions.KeyRevoked, AdminActions.CreditAdjusted, AdminActions.PriceSet],
            audit.Select(a => a.Action).ToArray());
        Assert.Equal($"model:{modelId}", audit[2].Target);
        Assert.Equal($"account:{userId}", audit[1].Target);
        Assert.Contains("goodwill credit", audit[1].Details, StringComparison.Ordinal);
        Assert.Equal($"key:{key.Id}", audit[0].Target);
        var filtered = await Services.GetRequiredService<AdminAuditLog>().QueryAsync(new AdminAuditFilter(AdminActions.PriceSet, actor), 0, 10);
        Assert.Equal(1, filtered.Total);
    }

    private async Task<IReadOnlyList<AdminAuditEntry>> AuditAsync(string text) =>
        (await Services.GetRequiredService<AdminAuditLog>().QueryAsync(new AdminAuditFilter(Text: text), 0, 100)).Rows;

    private async Task<string> EmailOfAsync(string userId)
    {
        await using var scope = Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByIdAsync(userId))!.Email!;
    }

    private static Task<HttpResponseMessage> SignInAsync(FormClient browser, string email) =>
        browser.SubmitAsync("/account/login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = TestAccounts.Password,
        });
}
