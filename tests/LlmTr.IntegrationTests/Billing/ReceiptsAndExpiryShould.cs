using System.Net;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Jobs;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LlmTr.IntegrationTests.Billing;

/// <summary>
/// Receipts (seller, buyer, tax) and the expiry of abandoned checkouts, through the built-in test checkout on a host
/// whose clock the test moves. Receipts describe history: what a top-up recorded when it was made never changes.
/// </summary>
public sealed class ReceiptsAndExpiryShould : IAsyncLifetime
{
    private static readonly Uri Site = new("https://llmtr.test/");
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private string _database = null!;
    private LlmTrHostFactory _host = null!;

    public async Task InitializeAsync()
    {
        _database = await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();
        _host = new LlmTrHostFactory(_database, Settings("LLMTR Bilişim A.Ş.", "0.20"), services => services.AddSingleton<TimeProvider>(_clock));
        _ = _host.Services;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task PrintTheSellerTheBuyerAndTheTaxAsRecordedWhenTheTopUpWasMade()
    {
        var (account, browser) = await TestAccounts.SignInAsync(_host);
        using var _ = browser;
        var profiles = _host.Services.GetRequiredService<IBillingProfiles>();
        Assert.Empty(await profiles.SaveAsync(account, new BillingDetails(BuyerKind.Company, "Örnek Yazılım Ltd. Şti.", "Kızılay Mah. 5\nÇankaya, Ankara", "Çankaya", "9876543210")));

        var started = await _host.Services.GetRequiredService<ITopUps>().StartAsync(account, 25m, Site);
        var paid = await _host.Services.GetRequiredService<ITestCheckout>().PayAsync(account, started.TopUpId!.Value);

        Assert.Equal((TopUpStatus.Completed, 1.50m, 0.20m, 5.30m, 31.80m), (paid!.Status, paid.Margin, paid.TaxRate, paid.Tax, paid.Total));
        Assert.Equal(25m, await BillingTesting.LedgerSumAsync(_database, account));
        Assert.Equal(1.50m, await BillingTesting.DecimalAsync(_database, """SELECT sum("Amount") FROM billing.platform_revenue WHERE "TopUpId" = @t""", ("t", paid.Id)));

        // The buyer changes their details, and the installation its seller and tax rate: the receipt stays as issued.
        Assert.Empty(await profiles.SaveAsync(account, new BillingDetails(BuyerKind.Individual, "Ayşe Yılmaz", "Kadıköy", null, "10000000146")));
        await using var later = new LlmTrHostFactory(_database, Settings("Başka Şirket A.Ş.", "0.10"));
        using var laterBrowser = new FormClient(later);
        await BillingTesting.SignInAsync(laterBrowser, await BillingTesting.EmailOfAsync(later, account));

        var receipt = WebUtility.HtmlDecode(await (await laterBrowser.GetAsync($"/dashboard/billing/receipts/{paid.Id}")).Content.ReadAsStringAsync());

        foreach (var expected in new[]
        {
            "LLMTR Bilişim A.Ş.", "Maslak Vergi Dairesi / 1234567890", "Örnek Yazılım Ltd. Şti.", "Çankaya / 9876543210",
            "25.00 USD", "1.50 USD", "26.50 USD", "KDV (20%)", "5.30 USD", "31.80 USD", "Print / Save as PDF",
        })
        {
            Assert.Contains(expected, receipt, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Başka Şirket", receipt, StringComparison.Ordinal);
        Assert.DoesNotContain("Ayşe Yılmaz", receipt, StringComparison.Ordinal);
        Assert.Equal(31.80m, (await later.Services.GetRequiredService<ITopUps>().FindAsync(account, paid.Id))!.Total);
        Assert.Equal(29.15m, later.Services.GetRequiredService<ITopUps>().Terms.Quote(25m).Total); // 26.50 + 2.65 at the new rate
    }

    [Fact]
    public async Task ShowWhenACheckoutExpiresThenShowItExpiredAndOfferItNoMore()
    {
        var (account, browser) = await TestAccounts.SignInAsync(_host);
        using var _ = browser;
        var topUps = _host.Services.GetRequiredService<ITopUps>();
        var started = await topUps.StartAsync(account, 10m, Site);
        var expiresAt = (await topUps.FindAsync(account, started.TopUpId!.Value))!.ExpiresAt;

        var open = WebUtility.HtmlDecode(await (await browser.GetAsync("/dashboard/billing")).Content.ReadAsStringAsync());
        Assert.Contains("data-testid=\"pending-top-ups\"", open, StringComparison.Ordinal);
        Assert.Contains($"Open until {expiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC", open, StringComparison.Ordinal);

        _clock.Advance(expiresAt - _clock.GetUtcNow() + TimeSpan.FromMinutes(1)); // the checkout has closed; the job has not run yet
        var lapsed = await (await browser.GetAsync("/dashboard/billing")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("data-testid=\"pending-top-ups\"", lapsed, StringComparison.Ordinal);
        Assert.Contains(">Expired<", lapsed, StringComparison.Ordinal);

        var resumed = await browser.PostFormAsync("/dashboard/billing", $"/billing/top-ups/{started.TopUpId}/resume", new Dictionary<string, string>());
        Assert.Equal($"/dashboard/billing?topUp={started.TopUpId}", FormClient.LocationOf(resumed));
        Assert.Contains("The top-up was not paid, and nothing was charged.", await (await browser.GetAsync(FormClient.LocationOf(resumed)!)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(TopUpStatus.Expired, (await topUps.FindAsync(account, started.TopUpId.Value))!.Status);
        Assert.Equal(0m, await BillingTesting.LedgerSumAsync(_database, account));
    }

    [Fact]
    public async Task RecordTheExpiryOfAnAbandonedTopUpThroughTheJobAndShowItInTheHistory()
    {
        var (account, browser) = await TestAccounts.SignInAsync(_host);
        using var _ = browser;
        var topUps = _host.Services.GetRequiredService<ITopUps>();
        var started = await topUps.StartAsync(account, 10m, Site);
        _clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1)); // an hour of checkout, an hour left for a late notice

        Assert.True(await _host.Services.GetRequiredService<ExpireAbandonedTopUpsJob>().RunAsync(CancellationToken.None) >= 1);

        Assert.Equal(TopUpStatus.Expired, (await topUps.FindAsync(account, started.TopUpId!.Value))!.Status);
        var receipt = await (await browser.GetAsync($"/dashboard/billing/receipts/{started.TopUpId}")).Content.ReadAsStringAsync();
        Assert.Contains(">Expired<", receipt, StringComparison.Ordinal);
        var cancel = await browser.PostFormAsync("/dashboard/billing", $"/billing/top-ups/{started.TopUpId}/cancel", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, cancel.StatusCode);
        Assert.Equal(TopUpStatus.Expired, (await topUps.FindAsync(account, started.TopUpId.Value))!.Status);
    }

    [Fact]
    public async Task CancelATestCheckoutSoItsPageCanNoLongerPayIt()
    {
        var (account, browser) = await TestAccounts.SignInAsync(_host);
        using var _ = browser;
        var started = await _host.Services.GetRequiredService<ITopUps>().StartAsync(account, 10m, Site);

        var resumed = await browser.PostFormAsync("/dashboard/billing", $"/billing/top-ups/{started.TopUpId}/resume", new Dictionary<string, string>());
        Assert.Equal($"/billing/test-checkout/{started.TopUpId}", resumed.Headers.Location!.AbsolutePath);
        var cancelled = await browser.PostFormAsync("/dashboard/billing", $"/billing/top-ups/{started.TopUpId}/cancel", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);

        var checkoutPage = await (await browser.GetAsync($"/billing/test-checkout/{started.TopUpId}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("data-testid=\"test-pay\"", checkoutPage, StringComparison.Ordinal);
        Assert.Equal(TopUpStatus.Cancelled, (await _host.Services.GetRequiredService<ITestCheckout>().PayAsync(account, started.TopUpId!.Value))!.Status);
        Assert.Equal(0m, await BillingTesting.LedgerSumAsync(_database, account));
    }

    [Fact]
    public async Task RefuseBadBillingDetailsFieldByFieldAndStoreNothing()
    {
        var account = await TestAccounts.CreateUserAsync(_host);
        var profiles = _host.Services.GetRequiredService<IBillingProfiles>();

        var problems = await profiles.SaveAsync(account, new BillingDetails(BuyerKind.Individual, new string('x', 201), " ", null, "12345678901"));
        var company = await profiles.SaveAsync(account, new BillingDetails(BuyerKind.Company, "Örnek A.Ş.", "Ankara", null, "12"));
        var undefinedKind = await profiles.SaveAsync(account, new BillingDetails((BuyerKind)7, "Örnek A.Ş.", "Ankara", "Çankaya", "1234567890"));

        Assert.Equal((BillingDetailsProblem.TooLong, BillingDetailsProblem.Required, BillingDetailsProblem.NationalIdInvalid), (problems["Name"][0], problems["Address"][0], problems["TaxId"][0]));
        Assert.Equal((BillingDetailsProblem.Required, BillingDetailsProblem.TaxNumberInvalid), (company["TaxOffice"][0], company["TaxId"][0]));
        Assert.Contains("Kind", undefinedKind.Keys);
        Assert.Null(await profiles.GetAsync(account));
        Assert.Equal(0, await Sql.CountAsync(_database, """SELECT count(*) FROM billing.billing_details WHERE "AccountId" = @a""", ("a", account)));
    }

    private static Dictionary<string, string?> Settings(string seller, string taxRate) => new()
    {
        ["Billing:TaxRate"] = taxRate,
        ["Billing:Seller:LegalName"] = seller,
        ["Billing:Seller:Address"] = "Maslak Mah. 1, Sarıyer, İstanbul",
        ["Billing:Seller:TaxOffice"] = "Maslak Vergi Dairesi",
        ["Billing:Seller:TaxNumber"] = "1234567890",
    };
}
