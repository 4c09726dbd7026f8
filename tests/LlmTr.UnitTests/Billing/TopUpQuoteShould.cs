using LlmTr.Modules.Billing.Contracts;

namespace LlmTr.UnitTests.Billing;

public sealed class TopUpQuoteShould
{
    [Theory]
    [InlineData("10", "0.60", "10.60")]
    [InlineData("25", "1.50", "26.50")]
    [InlineData("0.25", "0.02", "0.27")] // 0.265: half away from zero goes up (banker's rounding would give 0.26)
    [InlineData("0.75", "0.05", "0.80")] // 0.795
    [InlineData("1.75", "0.11", "1.86")] // 1.855
    [InlineData("0.08", "0.00", "0.08")] // 0.0848
    [InlineData("0.09", "0.01", "0.10")] // 0.0954
    [InlineData("999.99", "60.00", "1059.99")] // 1059.9894
    [InlineData("1000", "60.00", "1060.00")]
    public void ChargeCreditTimesOnePlusTheMarginRoundedToTheCentHalfAwayFromZero(string credit, string margin, string total)
    {
        var quote = TopUpQuote.For(D(credit), 0.06m, "USD");

        Assert.Equal((D(credit), D(margin), D(total)), (quote.Credit, quote.Margin, quote.Total));
    }

    [Fact]
    public void AddUpForEveryCentAmountFromOneCentToTenThousand()
    {
        foreach (var rate in new[] { 0.06m, 0.065m, 0.0725m, 0m })
        {
            for (var cents = 1; cents <= 1_000_000; cents += cents < 10_000 ? 1 : 7)
            {
                var credit = cents / 100m;
                var quote = TopUpQuote.For(credit, rate, "USD");
                var exact = credit * (1m + rate);

                Assert.Equal(quote.Total, quote.Credit + quote.Margin);
                Assert.Equal(decimal.Round(quote.Total, 2), quote.Total);
                Assert.True(Math.Abs(quote.Total - exact) <= 0.005m, $"{credit} at {rate}: {quote.Total} is more than half a cent from {exact}");
                Assert.True(quote.Total - exact != -0.005m, $"{credit} at {rate}: a half cent must round up, not down");
                Assert.Equal(rate, quote.MarginRate);
            }
        }
    }

    [Fact]
    public void RoundToWholeUnitsForACurrencyWithoutMinorUnits()
    {
        Assert.Equal((1060m, 60m), (TopUpQuote.For(1000m, 0.06m, "JPY").Total, TopUpQuote.For(1000m, 0.06m, "JPY").Margin));
        Assert.Equal(27m, TopUpQuote.For(25m, 0.06m, "JPY").Total); // 26.5
    }

    [Fact]
    public void QuoteWithTheTermsMarginRate()
    {
        var terms = new TopUpTerms(5m, 1000m, [10m, 25m], 0.1m, "USD", TestPayments: true);

        Assert.Equal(new TopUpQuote(10m, 0.1m, 1m, 11m, "USD"), terms.Quote(10m));
    }

    [Theory]
    [InlineData("25", "0.20", "26.50", "5.30", "31.80")]
    [InlineData("0.25", "0.20", "0.27", "0.05", "0.32")] // 0.054 tax on the charged 0.27
    [InlineData("1.75", "0.18", "1.86", "0.33", "2.19")] // 0.3348
    [InlineData("10", "0", "10.60", "0", "10.60")]
    public void AddTheTaxOnTheRoundedCreditAndMarginRoundedToTheCent(string credit, string rate, string subtotal, string tax, string total)
    {
        var quote = TopUpQuote.For(D(credit), 0.06m, "USD", D(rate));

        Assert.Equal((D(subtotal), D(tax), D(total)), (quote.Subtotal, quote.Tax, quote.Total));
        Assert.Equal(D(subtotal) - D(credit), quote.Margin);
    }

    private static decimal D(string value) => decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
}
