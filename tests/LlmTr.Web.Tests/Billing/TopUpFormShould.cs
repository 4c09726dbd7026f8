using Bunit;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Web.Pages.Billing;
using LlmTr.Web.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Web.Tests.Billing;

public sealed class TopUpFormShould : WebTestContext
{
    private readonly FixedTerms topUps = new(new TopUpTerms(0.01m, 1000m, [10m, 25m, 50m], 0.06m, "USD", TestPayments: true));

    public TopUpFormShould()
    {
        Services.AddSingleton<ITopUps>(topUps);
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public void ShowCreditMarginAndTotalOfTheDefaultPresetBeforePaying()
    {
        var form = Render<TopUpForm>();

        Assert.Equal(("25.00 USD", "1.50 USD", "26.50 USD"), Quote(form));
        Assert.Equal("25", form.Find("input[name=credit]").GetAttribute("value"));
        Assert.Equal("Pay 26.50 USD", form.Find("[data-testid=pay]").TextContent.Trim());
        Assert.Contains("Platform margin (6%)", form.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void WorkOutTheQuoteOfAChosenPreset()
    {
        var form = Render<TopUpForm>();

        form.FindAll("[data-testid=preset]")[2].Click();

        Assert.Equal(("50.00 USD", "3.00 USD", "53.00 USD"), Quote(form));
        Assert.Equal("50", form.Find("input[name=credit]").GetAttribute("value"));
    }

    [Theory]
    [InlineData("0.25", "0.02 USD", "0.27 USD")] // 0.265: half a cent rounds up
    [InlineData("1.75", "0.11 USD", "1.86 USD")] // 1.855
    [InlineData("999.99", "60.00 USD", "1,059.99 USD")]
    public void RoundACustomAmountsTotalToTheCentHalfAwayFromZero(string credit, string margin, string total)
    {
        var form = Render<TopUpForm>();

        form.Find("input[data-testid=custom-credit]").Input(credit);

        Assert.Equal((margin, total), (Quote(form).Margin, Quote(form).Total));
        Assert.Equal(credit, form.Find("input[name=credit]").GetAttribute("value"));
    }

    [Theory]
    [InlineData("1000.01", "Choose an amount from 0.01 USD to 1,000.00 USD.")]
    [InlineData("10.005", "Use at most two decimal places.")]
    public void RefuseAnAmountOutsideTheTermsAndOfferNothingToPay(string credit, string problem)
    {
        var form = Render<TopUpForm>();

        form.Find("input[data-testid=custom-credit]").Input(credit);

        Assert.Contains(problem, form.Markup, StringComparison.Ordinal);
        Assert.Equal(("—", "—", "—"), Quote(form));
        Assert.True(form.Find("[data-testid=pay]").HasAttribute("disabled"));
    }

    [Fact]
    public void SayPlainlyThatPaymentsAreTestPaymentsWhenTheyAre()
    {
        var form = Render<TopUpForm>();

        Assert.Contains("no money moves", form.Find("[data-testid=test-payments-notice]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteAmountsTheTurkishWay()
    {
        using var turkish = new CultureScope("tr");

        var form = Render<TopUpForm>();

        Assert.Equal(("25,00 USD", "1,50 USD", "26,50 USD"), Quote(form));
        Assert.Equal("25", form.Find("input[name=credit]").GetAttribute("value"));
    }

    [Fact]
    public void ShowNoTaxLineWhenNoTaxIsCharged()
    {
        var form = Render<TopUpForm>();

        Assert.Empty(form.FindAll("[data-testid=quote-tax]"));
    }

    internal static (string Credit, string Margin, string Total) Quote(IRenderedComponent<TopUpForm> form) => (
        form.Find("[data-testid=quote-credit]").TextContent.Trim(),
        form.Find("[data-testid=quote-margin]").TextContent.Trim(),
        form.Find("[data-testid=quote-total]").TextContent.Trim());

    internal sealed class FixedTerms(TopUpTerms terms) : ITopUps
    {
        public TopUpTerms Terms => terms;

        public Task<StartTopUpResult> StartAsync(string accountId, decimal credit, Uri siteBase, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("The form posts to the server; it never starts a top-up itself.");

        public Task<IReadOnlyList<TopUpSummary>> ListAsync(string accountId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<TopUpSummary>>([]);

        public Task<TopUpSummary?> FindAsync(string accountId, Guid topUpId, CancellationToken cancellationToken = default) =>
            Task.FromResult<TopUpSummary?>(null);
    }
}

/// <summary>The form on an installation that charges KDV (a separate context: services are fixed before the first render).</summary>
public sealed class TaxedTopUpFormShould : WebTestContext
{
    public TaxedTopUpFormShould()
    {
        Services.AddSingleton<ITopUps>(new TopUpFormShould.FixedTerms(new TopUpTerms(0.01m, 1000m, [10m, 25m, 50m], 0.06m, "USD", TestPayments: false, TaxRate: 0.20m, TaxName: "KDV")));
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public void AddTheTaxOnCreditAndMarginToTheTotalWhenATaxRateIsSet()
    {
        var form = Render<TopUpForm>();

        Assert.Equal(("25.00 USD", "1.50 USD", "31.80 USD"), TopUpFormShould.Quote(form));
        Assert.Equal("5.30 USD", form.Find("[data-testid=quote-tax]").TextContent.Trim());
        Assert.Contains("KDV (20%)", form.Markup, StringComparison.Ordinal);
        Assert.Equal("Pay 31.80 USD", form.Find("[data-testid=pay]").TextContent.Trim());
    }
}
