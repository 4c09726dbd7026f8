using System.Net;
using LlmTr.Identity;
using LlmTr.IntegrationTests.Accounts;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Billing;

public sealed class BillingAdministrationShould(HostFixture fixture) : IClassFixture<HostFixture>
{
    private IBillingAdministration Admin => fixture.Host.Services.GetRequiredService<IBillingAdministration>();

    [Theory]
    [InlineData("0", "Goodwill credit", "admin@llmtr.test", "Amount")]
    [InlineData("1.001", "Goodwill credit", "admin@llmtr.test", "Amount")]
    [InlineData("1000000.01", "Goodwill credit", "admin@llmtr.test", "Amount")]
    [InlineData("5", "", "admin@llmtr.test", "Reason")]
    [InlineData("5", "  ", "admin@llmtr.test", "Reason")]
    [InlineData("5", "Goodwill credit", "", "Actor")]
    public async Task RefuseAnAdjustmentWithoutAnAmountReasonOrActorAndWriteNothing(string amount, string reason, string actor, string field)
    {
        var account = await TestAccounts.CreateUserAsync(fixture.Host);

        var result = await Admin.AdjustAsync(account, decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), reason, actor);

        Assert.False(result.Succeeded);
        Assert.Contains(field, result.Errors.Keys);
        Assert.Empty(await Admin.LedgerAsync(account, 10));
    }

    [Fact]
    public async Task KeepTheReasonAndTheActorOnTheAdjustmentsLedgerEntry()
    {
        var account = await TestAccounts.CreateUserAsync(fixture.Host);

        var unknown = await Admin.AdjustAsync("no-such-account", 5m, "Goodwill credit", "admin@llmtr.test");
        var credit = await Admin.AdjustAsync(account, 7.5m, "  Goodwill credit  ", "admin@llmtr.test");
        var debit = await Admin.AdjustAsync(account, -2.5m, "Correction of a duplicate credit", "admin@llmtr.test");

        Assert.Contains("AccountId", unknown.Errors.Keys);
        Assert.True(credit.Succeeded && debit.Succeeded);
        var ledger = await Admin.LedgerAsync(account, 10);
        Assert.Equal(
            [(LedgerEntryKind.Adjustment, -2.5m, "Correction of a duplicate credit", "admin@llmtr.test"), (LedgerEntryKind.Adjustment, 7.5m, "Goodwill credit", "admin@llmtr.test")],
            ledger.Select(e => (e.Kind, e.Amount, e.Reason!, e.Actor!)));
        Assert.Equal(5m, (await fixture.Host.Services.GetRequiredService<IBalanceQuery>().GetAsync(account)).Balance);
    }

    [Fact]
    public async Task RefundOnlyTheUnusedCreditOfACompletedTopUp()
    {
        var account = await TestAccounts.CreateUserAsync(fixture.Host);
        var topUps = fixture.Host.Services.GetRequiredService<ITopUps>();
        var paid = (await topUps.StartAsync(account, 20m, new Uri("https://llmtr.test/"))).TopUpId!.Value;
        var pending = (await topUps.StartAsync(account, 30m, new Uri("https://llmtr.test/"))).TopUpId!.Value;
        await fixture.Host.Services.GetRequiredService<ITestCheckout>().PayAsync(account, paid);
        var model = await BillingTesting.PricedModelAsync(fixture.Host, (PriceUnit.Request, 15m, DateTimeOffset.UtcNow.AddDays(-1)));
        fixture.Host.Services.GetRequiredService<IUsageRecorder>().Record(BillingTesting.Report(account, Guid.NewGuid(), model, 0, 0));

        var notCompleted = await Admin.RefundAsync(pending, null, "Customer asked", "admin@llmtr.test");
        var tooMuch = await Admin.RefundAsync(paid, 5.01m, "Customer asked", "admin@llmtr.test");
        var noReason = await Admin.RefundAsync(paid, null, "", "admin@llmtr.test");
        var refunded = await Admin.RefundAsync(paid, null, "Customer asked", "admin@llmtr.test");
        var again = await Admin.RefundAsync(paid, null, "Customer asked again", "admin@llmtr.test");

        Assert.StartsWith("Only a completed top-up can be refunded", notCompleted.Errors["TopUpId"][0], StringComparison.Ordinal);
        Assert.Equal("At most 5.00 USD of this top-up is unused and refundable.", tooMuch.Errors["Amount"][0]);
        Assert.Contains("Reason", noReason.Errors.Keys);
        Assert.Equal((LedgerEntryKind.Refund, -5m, paid), (refunded.Entry!.Kind, refunded.Entry.Amount, refunded.Entry.TopUpId!.Value));
        Assert.Equal("Nothing of this top-up is left unused to refund.", again.Errors["Amount"][0]);
        Assert.Equal(5m, (await topUps.FindAsync(account, paid))!.Refunded);
        Assert.Equal(0m, (await fixture.Host.Services.GetRequiredService<IBalanceQuery>().GetAsync(account)).Balance);
        await Poll.UntilAsync(async () => await BillingTesting.StoredBalanceAsync(fixture.Host.ConnectionString, account) == 0m, "the usage debit to be written");
        Assert.Equal(0m, await BillingTesting.LedgerSumAsync(fixture.Host.ConnectionString, account));
    }

    [Fact]
    public async Task OpenTheBillingConsoleToAdminsOnly()
    {
        var developer = await TestAccounts.CreateUserAsync(fixture.Host);
        var adminEmail = $"admin-{Guid.NewGuid():N}@llmtr.test";
        await using (var scope = fixture.Host.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<AccountProvisioning>().CreateAsync(adminEmail, TestAccounts.Password, isAdmin: true)).Succeeded);
        }

        using var asDeveloper = new FormClient(fixture.Host);
        await BillingTesting.SignInAsync(asDeveloper, await BillingTesting.EmailOfAsync(fixture.Host, developer));
        using var asAdmin = new FormClient(fixture.Host);
        await BillingTesting.SignInAsync(asAdmin, adminEmail);

        var refused = await asDeveloper.GetAsync("/admin/billing");
        var console = await (await asAdmin.GetAsync("/admin/billing")).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/account/access-denied", FormClient.LocationOf(refused), StringComparison.Ordinal);
        Assert.Contains("Billing administration", console, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"flagged\"", console, StringComparison.Ordinal);
    }
}
