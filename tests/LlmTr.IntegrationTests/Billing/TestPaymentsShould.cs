using System.Net;
using LlmTr.IntegrationTests.Accounts;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Billing;

/// <summary>The built-in test payment provider, active with no Stripe key configured.</summary>
public sealed class TestPaymentsShould(HostFixture fixture) : IClassFixture<HostFixture>
{
    private static readonly Uri Site = new("https://llmtr.test/");

    private ITopUps TopUps => fixture.Host.Services.GetRequiredService<ITopUps>();

    private ITestCheckout Checkout => fixture.Host.Services.GetRequiredService<ITestCheckout>();

    [Fact]
    public async Task SendTheBuyerToTheMarkedTestCheckoutAndCreditThroughTheSameSettlementWhenPaid()
    {
        var account = await TestAccounts.CreateUserAsync(fixture.Host);
        Assert.True(TopUps.Terms.TestPayments);
        Assert.True(Checkout.IsEnabled);

        var started = await TopUps.StartAsync(account, 20m, Site);
        var paid = await Checkout.PayAsync(account, started.TopUpId!.Value);
        var paidAgain = await Checkout.PayAsync(account, started.TopUpId!.Value);

        Assert.Equal($"https://llmtr.test/billing/test-checkout/{started.TopUpId}", started.CheckoutUrl!.ToString());
        Assert.Equal((TopUpStatus.Completed, "test", 21.20m), (paid!.Status, paid.Provider, paid.Total));
        Assert.Equal(TopUpStatus.Completed, paidAgain!.Status);
        Assert.Equal(20m, await BillingTesting.LedgerSumAsync(fixture.Host.ConnectionString, account));
        Assert.Equal(1.20m, await BillingTesting.DecimalAsync(fixture.Host.ConnectionString, """SELECT sum("Amount") FROM billing.platform_revenue WHERE "TopUpId" = @t""", ("t", started.TopUpId!.Value)));
        Assert.Equal(20m, (await fixture.Host.Services.GetRequiredService<IBalanceQuery>().GetAsync(account)).Balance);
    }

    [Fact]
    public async Task LetOnlyTheOwnerPayOrCancelAndNeverPayACancelledTopUp()
    {
        var owner = await TestAccounts.CreateUserAsync(fixture.Host);
        var stranger = await TestAccounts.CreateUserAsync(fixture.Host);
        var started = await TopUps.StartAsync(owner, 10m, Site);

        Assert.Null(await Checkout.PayAsync(stranger, started.TopUpId!.Value));
        Assert.Null(await Checkout.CancelAsync(stranger, started.TopUpId!.Value));
        Assert.Equal(TopUpStatus.Expired, (await Checkout.CancelAsync(owner, started.TopUpId!.Value))!.Status);
        Assert.Equal(TopUpStatus.Expired, (await Checkout.PayAsync(owner, started.TopUpId!.Value))!.Status);
        Assert.Equal(0m, await BillingTesting.LedgerSumAsync(fixture.Host.ConnectionString, owner));
        Assert.Null(await TopUps.FindAsync(stranger, started.TopUpId!.Value));
    }

    [Fact]
    public async Task AnswerTheStripeWebhookWithNotFoundWhenStripeIsNotConfigured()
    {
        using var client = fixture.Host.CreateClient();

        var response = await client.PostAsync(new Uri("/billing/stripe/webhook", UriKind.Relative), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
