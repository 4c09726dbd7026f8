using System.Security.Claims;
using Bunit;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Web.Pages.Billing;
using LlmTr.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Web.Tests.Billing;

public sealed class ReceiptPageShould : WebTestContext
{
    private const string Account = "buyer-1";

    private static readonly TopUpSummary Paid = new(
        Guid.NewGuid(), Account, TopUpSamples.Now.AddHours(-2), 25m, 0.06m, 1.50m, 31.80m, "USD", TopUpStatus.Completed, "stripe", "pi_123",
        TopUpSamples.Now.AddHours(-2).AddMinutes(1), 0m, null,
        ExpiresAt: TopUpSamples.Now.AddHours(-1), TaxRate: 0.20m, Tax: 5.30m, TaxName: "KDV",
        Seller: new SellerDetails("LLMTR Bilişim A.Ş.", "Maslak Mah. 1\nSarıyer, İstanbul", "Maslak", "1234567890"),
        Buyer: new BillingDetails(BuyerKind.Company, "Örnek Yazılım Ltd. Şti.", "Kızılay, Ankara", "Çankaya", "9876543210"));

    public ReceiptPageShould()
    {
        Services.AddSingleton<TimeProvider>(new StoppedClock());
        Authorization.SetAuthorized("buyer@llmtr.test");
        Authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, Account));
        ActInPersonalOrganisation(Account);
    }

    [Fact]
    public void ShowTheSellerTheBuyerAndHowTheTotalSplitsIntoCreditMarginAndTax()
    {
        Services.AddSingleton<ITopUps>(new ListedTopUps(Paid));

        var receipt = Render<ReceiptPage>(p => p.Add(c => c.Id, Paid.Id));

        var seller = receipt.Find("[data-testid=receipt-seller]").TextContent;
        Assert.Contains("LLMTR Bilişim A.Ş.", seller, StringComparison.Ordinal);
        Assert.Contains("Maslak / 1234567890", seller, StringComparison.Ordinal);
        var buyer = receipt.Find("[data-testid=receipt-buyer]").TextContent;
        Assert.Contains("Örnek Yazılım Ltd. Şti.", buyer, StringComparison.Ordinal);
        Assert.Contains("Çankaya / 9876543210", buyer, StringComparison.Ordinal);
        Assert.Equal(
            ("25.00 USD", "1.50 USD", "26.50 USD", "5.30 USD", "31.80 USD"),
            (Text(receipt, "receipt-credit"), Text(receipt, "receipt-margin"), Text(receipt, "receipt-subtotal"), Text(receipt, "receipt-tax"), Text(receipt, "receipt-total")));
        Assert.Contains("KDV (20%)", receipt.Markup, StringComparison.Ordinal);
        Assert.Contains("Platform margin (6%)", receipt.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void OfferAPrintButtonTheSiteScriptHandlesAndHideTheChromeWhenPrinting()
    {
        Services.AddSingleton<ITopUps>(new ListedTopUps(Paid));

        var receipt = Render<ReceiptPage>(p => p.Add(c => c.Id, Paid.Id));

        var print = receipt.Find("[data-testid=receipt-print]");
        Assert.True(print.HasAttribute("data-llmtr-print"));
        Assert.Equal("button", print.GetAttribute("type"));
        Assert.Null(print.GetAttribute("onclick"));
        Assert.Equal("Print / Save as PDF", print.TextContent.Trim());
        Assert.Contains("@media print", receipt.Find("style").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void SayWhenTheBuyerHadNoDetailsAndShowALapsedCheckoutAsExpired()
    {
        var lapsed = TopUpSamples.Pending(Account, 10m, TopUpSamples.Now.AddMinutes(-1));
        Services.AddSingleton<ITopUps>(new ListedTopUps(lapsed));

        var receipt = Render<ReceiptPage>(p => p.Add(c => c.Id, lapsed.Id));

        Assert.Equal("Expired", Text(receipt, "receipt-status"));
        Assert.Contains("No billing details were saved when this top-up was made.", receipt.Find("[data-testid=receipt-buyer]").TextContent, StringComparison.Ordinal);
        Assert.Contains("not configured", receipt.Find("[data-testid=receipt-seller]").TextContent, StringComparison.Ordinal);
        Assert.Empty(receipt.FindAll("[data-testid=receipt-expires]"));
    }

    [Fact]
    public void ShowWhenAnOpenCheckoutExpiresAndSpeakTurkish()
    {
        using var turkish = new CultureScope("tr");
        var open = TopUpSamples.Pending(Account, 10m, TopUpSamples.Now.AddMinutes(20));
        Services.AddSingleton<ITopUps>(new ListedTopUps(open));

        var receipt = Render<ReceiptPage>(p => p.Add(c => c.Id, open.Id));

        Assert.Equal("2026-12-07 10:20 UTC", Text(receipt, "receipt-expires"));
        Assert.Contains("Yazdır / PDF olarak kaydet", receipt.Markup, StringComparison.Ordinal);
        Assert.Contains("Satıcı", receipt.Markup, StringComparison.Ordinal);
        Assert.Contains("Alıcı", receipt.Markup, StringComparison.Ordinal);
    }

    private static string Text(IRenderedComponent<ReceiptPage> receipt, string testId) => receipt.Find($"[data-testid={testId}]").TextContent.Trim();
}
