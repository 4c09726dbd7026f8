using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Data;

namespace LlmTr.Modules.Billing.Receipts;

/// <summary>
/// What billing details must be to go on a receipt: a name and an address; a company's tax office and 10-digit tax
/// number (vergi kimlik no); a person's 11-digit T.C. kimlik no with its check digits. Answers problem codes per field.
/// </summary>
internal static class BillingDetailsRules
{
    public static BillingDetails Normalize(BillingDetails details) => details with
    {
        Name = details.Name?.Trim() ?? "",
        Address = details.Address?.Trim() ?? "",
        TaxOffice = string.IsNullOrWhiteSpace(details.TaxOffice) || details.Kind == BuyerKind.Individual ? null : details.TaxOffice.Trim(),
        TaxId = details.TaxId?.Trim() ?? "",
    };

    public static Dictionary<string, string[]> Problems(BillingDetails details)
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Text(problems, nameof(BillingDetails.Name), details.Name, BillingDetailsLimits.Name, required: true, singleLine: true);
        Text(problems, nameof(BillingDetails.Address), details.Address, BillingDetailsLimits.Address, required: true, singleLine: false);
        Text(problems, nameof(BillingDetails.TaxOffice), details.TaxOffice, BillingDetailsLimits.TaxOffice, required: details.Kind == BuyerKind.Company, singleLine: true);
        if (!Enum.IsDefined(details.Kind))
        {
            problems["Kind"] = [BillingDetailsProblem.Required];
        }
        else if (string.IsNullOrEmpty(details.TaxId))
        {
            problems[nameof(BillingDetails.TaxId)] = [BillingDetailsProblem.Required];
        }
        else if (details.Kind == BuyerKind.Individual && !IsNationalId(details.TaxId))
        {
            problems[nameof(BillingDetails.TaxId)] = [BillingDetailsProblem.NationalIdInvalid];
        }
        else if (details.Kind == BuyerKind.Company && !IsTaxNumber(details.TaxId))
        {
            problems[nameof(BillingDetails.TaxId)] = [BillingDetailsProblem.TaxNumberInvalid];
        }

        return problems;
    }

    /// <summary>T.C. kimlik no: 11 digits, not starting with 0; the 10th and 11th are check digits of the ones before.</summary>
    public static bool IsNationalId(string text)
    {
        if (text.Length != 11 || !text.All(char.IsAsciiDigit) || text[0] == '0')
        {
            return false;
        }

        var d = text.Select(c => c - '0').ToArray();
        var odd = d[0] + d[2] + d[4] + d[6] + d[8];
        var even = d[1] + d[3] + d[5] + d[7];
        var tenth = ((odd * 7) - even) % 10;
        if (tenth < 0)
        {
            tenth += 10;
        }

        return d[9] == tenth && d[10] == d.Take(10).Sum() % 10;
    }

    /// <summary>Vergi kimlik no: exactly 10 digits (its form; the tax office confirms it belongs to the company).</summary>
    public static bool IsTaxNumber(string text) => text.Length == 10 && text.All(char.IsAsciiDigit);

    private static void Text(Dictionary<string, string[]> problems, string field, string? value, int max, bool required, bool singleLine)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                problems[field] = [BillingDetailsProblem.Required];
            }
        }
        else if (value.Length > max)
        {
            problems[field] = [BillingDetailsProblem.TooLong];
        }
        else if (value.Any(c => char.IsControl(c) && !(!singleLine && c is '\n' or '\r')))
        {
            problems[field] = [BillingDetailsProblem.ControlCharacters];
        }
    }
}
