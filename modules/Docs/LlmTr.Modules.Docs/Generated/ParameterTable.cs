using System.Globalization;
using LlmTr.Modules.Docs.Rendering;
using LlmTr.Modules.Gateway.Contracts;

namespace LlmTr.Modules.Docs.Generated;

/// <summary>The accepted values of the chat request's checked fields, as the gateway enforces them.</summary>
internal static class ParameterTable
{
    public static string Markdown(IChatRequestRules rules, string language)
    {
        var table = new MarkdownTable(Words.In(language, "Field", "Alan"), Words.In(language, "Accepted values", "Kabul edilen değerler"));
        foreach (var rule in rules.Parameters)
        {
            table.RawRow(MarkdownTable.Code(rule.Field), Describe(rule, language));
        }

        var megabytes = Number(rules.MaxRequestBytes / (1024.0 * 1024.0));
        var bytes = rules.MaxRequestBytes.ToString(CultureInfo.InvariantCulture);
        table.RawRow(
            Words.In(language, "the request body", "istek gövdesi"),
            Words.In(language, $"at most {megabytes} MB ({bytes} bytes)", $"en fazla {megabytes} MB ({bytes} bayt)"));
        return table.ToString();
    }

    private static string Describe(ParameterRule rule, string language)
    {
        var min = rule.Min is { } low ? Number(low) : "";
        var max = rule.Max is { } high ? Number(high) : "";
        return rule.Kind switch
        {
            ParameterRuleKind.Number => Words.In(language, $"a number from {min} to {max}", $"{min} ile {max} arasında bir sayı"),
            ParameterRuleKind.WholeNumber when rule.Max is null =>
                Words.In(language, $"a whole number of at least {min}", $"en az {min} olan bir tam sayı"),
            ParameterRuleKind.WholeNumber => Words.In(language, $"a whole number from {min} to {max}", $"{min} ile {max} arasında bir tam sayı"),
            ParameterRuleKind.MaxItems => Words.In(language, $"a string, or an array of at most {max} strings", $"bir metin ya da en fazla {max} metinlik bir dizi"),
            ParameterRuleKind.MaxPairs => Words.In(language, $"an object of at most {max} string values", $"en fazla {max} metin değeri olan bir nesne"),
            _ => Words.In(language, "one of ", "şunlardan biri: ") + string.Join(", ", (rule.Values ?? []).Select(MarkdownTable.Code)),
        };
    }

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
