using LlmTr.SharedKernel;

namespace LlmTr.UnitTests.SharedKernel;

public sealed class MoneyShould
{
    [Theory]
    [InlineData("10.005", "10.01")]
    [InlineData("10.004", "10.00")]
    [InlineData("-10.005", "-10.01")]
    [InlineData("0.125", "0.13")]
    public void RoundHalfAwayFromZeroToTheMinorUnit(string amount, string expected) =>
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            new Money(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), "USD").RoundToMinorUnit().Amount);

    [Fact]
    public void RoundCurrenciesWithoutMinorUnitsToWholeNumbers() =>
        Assert.Equal(101m, new Money(100.5m, "JPY").RoundToMinorUnit().Amount);

    [Fact]
    public void AddAndSubtractInTheSameCurrency()
    {
        var total = new Money(1.10m, "USD") + new Money(2.20m, "usd") - new Money(0.30m, "USD");

        Assert.Equal(3.00m, total.Amount);
        Assert.Equal("USD", total.Currency);
    }

    [Fact]
    public void RefuseToMixCurrencies() =>
        Assert.Throws<InvalidOperationException>(() => new Money(1m, "USD") + new Money(1m, "TRY"));

    [Fact]
    public void KeepDecimalPrecisionThatBinaryFloatingPointWouldLose()
    {
        var sum = Money.Zero("USD");
        for (var i = 0; i < 10; i++)
        {
            sum += new Money(0.1m, "USD");
        }

        Assert.Equal(1.0m, sum.Amount);
    }
}
