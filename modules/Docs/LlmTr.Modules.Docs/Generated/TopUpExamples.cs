using System.Globalization;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Docs.Rendering;

namespace LlmTr.Modules.Docs.Generated;

/// <summary>
/// Worked top-up examples computed by Billing's own quote (credit × (1 + margin), rounded half away from zero to the
/// cent), so the documented arithmetic is the charged arithmetic.
/// </summary>
internal static class TopUpExamples
{
    /// <summary>Amounts chosen to show the rounding: a plain one, two whose margin ends in half a cent, and a large one.</summary>
    public static readonly decimal[] Credits = [10m, 25m, 8.25m, 12.75m, 100m];

    public static string Markdown(decimal marginRate, string currency, string language)
    {
        var table = new MarkdownTable(
            Words.In(language, "Credit bought", "Alınan kredi"),
            Words.In(language, "credit × (1 + margin)", "kredi × (1 + marj)"),
            Words.In(language, "Charged (rounded)", "Ödenen (yuvarlanmış)"),
            Words.In(language, "Margin", "Marj"),
            Words.In(language, "Added to the balance", "Bakiyeye eklenen"));
        foreach (var credit in Credits)
        {
            var quote = TopUpQuote.For(credit, marginRate, currency);
            table.Row(
                Amount(credit, currency),
                Amount(credit * (1m + marginRate), currency, exact: true),
                Amount(quote.Total, currency),
                Amount(quote.Margin, currency),
                Amount(quote.Credit, currency));
        }

        return table.ToString();
    }

    private static string Amount(decimal amount, string currency, bool exact = false) =>
        (exact ? amount.ToString("0.00##", CultureInfo.InvariantCulture) : amount.ToString("0.00", CultureInfo.InvariantCulture)) + " " + currency;
}
