using LlmTr.Web.Localization;
using LlmTr.Web.Tests.Support;

namespace LlmTr.Web.Tests.Localization;

/// <summary>Numbers follow the page's language: "128.000", "0,7" and "%6" in Turkish.</summary>
public sealed class NumbersShould
{
    [Theory]
    [InlineData("en", "128,000", "0.7", "6%", "6.5%", "1,250.00 USD", "0.075 USD")]
    [InlineData("tr", "128.000", "0,7", "%6", "%6,5", "1.250,00 USD", "0,075 USD")]
    public void WriteNumbersAsThePagesLanguageDoes(string language, string count, string fraction, string percent, string halfPercent, string money, string tiny)
    {
        using var culture = new CultureScope(language);

        Assert.Equal(count, Numbers.Count(128_000));
        Assert.Equal(fraction, Numbers.Decimal(0.7m));
        Assert.Equal(percent, Numbers.Percent(0.06m));
        Assert.Equal(halfPercent, Numbers.Percent(0.065m));
        Assert.Equal(money, Numbers.Money(1_250m, "USD"));
        Assert.Equal(tiny, Numbers.Money(0.075m, "USD"));
    }
}
