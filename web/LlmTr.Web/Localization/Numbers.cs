using System.Globalization;

namespace LlmTr.Web.Localization;

/// <summary>
/// Numbers as the page's language writes them: "128,000", "0.7" and "6%" in English; "128.000", "0,7" and "%6" in
/// Turkish. Pages format counts, amounts and percentages through these, never with the invariant culture.
/// </summary>
internal static class Numbers
{
    /// <summary>A whole count with digit grouping (tokens, requests, users).</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.CurrentCulture);

    /// <summary>A decimal with grouping and only the places it has (0.7, 1,250.5).</summary>
    public static string Decimal(decimal value) => value.ToString("#,0.##########", CultureInfo.CurrentCulture);

    /// <summary>A money amount with at least two places and up to six (a token price can be a fraction of a cent).</summary>
    public static string Money(decimal amount, string currency) =>
        string.Create(CultureInfo.CurrentCulture, $"{amount:#,0.00####} {currency}");

    /// <summary>A rate (0.06) as a percentage in the culture's own pattern (6% or %6), with up to <paramref name="places"/> places.</summary>
    public static string Percent(decimal rate, int places = 2)
    {
        var format = (NumberFormatInfo)CultureInfo.CurrentCulture.NumberFormat.Clone();
        var percent = rate * 100m;
        format.PercentDecimalDigits = PlacesOf(decimal.Round(percent, places));
        return rate.ToString("P", format);
    }

    /// <summary>The places a value really has: 6.50 has one.</summary>
    private static int PlacesOf(decimal value) => (value / 1.000000000000000000000000000000000m).Scale;
}
