using System.Globalization;
using System.Text;
using LlmTr.Modules.Billing.Contracts;

namespace LlmTr.Modules.Billing.Usage;

/// <summary>
/// The residency report as one CSV table (RFC 4180, invariant numbers): a line for the total, then one per country,
/// key and model, and one per model for requests refused before reaching any data path (<c>refused</c>, counted
/// nowhere else), the <c>view</c> column saying which. Shares are fractions with four decimals.
/// </summary>
internal static class ResidencyCsv
{
    public const string Header = "view,name,requests,tokens,requests_in_turkey,tokens_in_turkey,share_in_turkey";

    public static string Write(ResidencyReport report)
    {
        var csv = new StringBuilder().Append(Header).Append("\r\n");
        Line(csv, "total", "all", report.Total);
        foreach (var (view, lines) in new[] { ("country", report.ByCountry), ("key", report.ByKey), ("model", report.ByModel), ("refused", report.Refused) })
        {
            foreach (var line in lines)
            {
                Line(csv, view, line.Name, line.Figures);
            }
        }

        return csv.ToString();
    }

    private static void Line(StringBuilder csv, string view, string name, ResidencyFigures figures) => csv.Append(string.Join(',',
        view,
        Text(name),
        figures.Requests.ToString(CultureInfo.InvariantCulture),
        figures.Tokens.ToString(CultureInfo.InvariantCulture),
        figures.RequestsInTurkey.ToString(CultureInfo.InvariantCulture),
        figures.TokensInTurkey.ToString(CultureInfo.InvariantCulture),
        Math.Round(figures.ShareInTurkey, 4, MidpointRounding.AwayFromZero).ToString("0.0000", CultureInfo.InvariantCulture))).Append("\r\n");

    /// <summary>
    /// Names are ids, but a refused request's model is whatever the client sent: a cell a spreadsheet would run as a
    /// formula is prefixed with an apostrophe (as in the usage export), then quoted if it holds a comma or quote.
    /// </summary>
    private static string Text(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
