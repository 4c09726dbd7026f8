using System.Net;
using LlmTr.IntegrationTests.Hosting;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Billing;

/// <summary>
/// Issue 18, finding 1: a production host never gives credit without a payment: with no payment provider it runs only
/// when top-ups are turned off, and then no path (the top-up form, the test checkout page and its posts) credits anything.
/// </summary>
public sealed class ProductionTopUpsShould
{
    // Issue 18, finding 1: a registered user used to post a top-up of 1,000 and pay it on /billing/test-checkout/{id}.
    [Fact]
    public async Task GiveNoCreditThroughAnyPathWhenTopUpsAreTurnedOffAndNoProviderIsConfigured()
    {
        var database = await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();
        string account, email;
        Guid leftOver;
        await using (var development = new LlmTrHostFactory(database))
        {
            // A test top-up left pending from a run in Development must not become payable in Production.
            account = await TestAccounts.CreateUserAsync(development);
            email = await BillingTesting.EmailOfAsync(development, account);
            leftOver = (await development.Services.GetRequiredService<ITopUps>().StartAsync(account, 1000m, new Uri("http://llmtr.test/"))).TopUpId!.Value;
        }

        await using var production = await HostServer.StartAsync(database, new Dictionary<string, string>(ProductionMail.Environment)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Billing__TopUpsEnabled"] = "false",
        });
        using var browser = new HttpBrowser(production.BaseAddress);
        await browser.SignInAsync(email, TestAccounts.Password);

        var billingPage = await (await browser.GetAsync("/dashboard/billing")).Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"top-ups-off\"", billingPage, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"top-up-form\"", billingPage, StringComparison.Ordinal);

        using var started = await browser.PostAsync("/dashboard/billing", "/billing/top-ups", new Dictionary<string, string> { ["credit"] = "1000" });
        Assert.Equal(HttpStatusCode.BadRequest, started.StatusCode);

        using var checkoutPage = await browser.GetAsync($"/billing/test-checkout/{leftOver}");
        Assert.Equal(HttpStatusCode.NotFound, checkoutPage.StatusCode);
        foreach (var form in new[] { "test-pay", "test-cancel" })
        {
            using var posted = await browser.PostAsync("/dashboard/billing", $"/billing/test-checkout/{leftOver}", new Dictionary<string, string> { ["_handler"] = form });
            Assert.True(posted.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{form} answered {posted.StatusCode}.");
        }

        Assert.Equal(0m, await BillingTesting.LedgerSumAsync(database, account));
        Assert.Equal(1, await Sql.CountAsync(database, """SELECT count(*) FROM billing.top_ups WHERE "AccountId" = @a""", ("a", account)));
        Assert.Equal(1, await Sql.CountAsync(database, """SELECT count(*) FROM billing.top_ups WHERE "Id" = @t AND "Status" = 'Pending'""", ("t", leftOver)));
    }
}
