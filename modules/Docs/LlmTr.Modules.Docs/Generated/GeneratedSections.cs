using System.Text;
using System.Text.RegularExpressions;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Modules.Docs.Generated;

/// <summary>
/// The parts of pages made from the code rather than written: a line <c>{{name}}</c> in a page's Markdown is replaced
/// by the section of that name, so the published tables are the enforced rules and the live catalog.
/// </summary>
internal sealed partial class GeneratedSections(
    IModelCatalog catalog,
    IChatRequestRules rules,
    ConfigurationReference configuration,
    ApiReference apiReference,
    IConfiguration settings,
    IServiceProvider services)
{
    /// <summary>The platform margin on top-ups when Billing offers no top-up terms (the product's published 6%).</summary>
    public const decimal PublishedMarginRate = 0.06m;

    public static IReadOnlyList<string> Names { get; } = ["errors", "parameters", "models", "configuration", "top-up-examples", "api-reference", "price-units", "price-examples"];

    /// <summary>Pages showing the live model table are rendered again when the catalog changes.</summary>
    public static bool DependsOnCatalog(string markdown) =>
        markdown.Contains("{{models}}", StringComparison.Ordinal) || markdown.Contains("{{price-examples}}", StringComparison.Ordinal);

    public async Task<string> ExpandAsync(string markdown, string language, CancellationToken cancellationToken)
    {
        var expanded = new StringBuilder(markdown.Length);
        foreach (var line in markdown.Split('\n'))
        {
            var placeholder = Placeholder().Match(line);
            expanded.Append(placeholder.Success ? await SectionAsync(placeholder.Groups["name"].Value, language, cancellationToken) : line).Append('\n');
        }

        return expanded.ToString();
    }

    private async Task<string> SectionAsync(string name, string language, CancellationToken cancellationToken) => name switch
    {
        "errors" => ErrorTable.Markdown(language),
        "parameters" => ParameterTable.Markdown(rules, language),
        "models" => ModelTable.Markdown(catalog.Current, language),
        "configuration" => configuration.Markdown(language),
        "top-up-examples" => TopUpExamples.Markdown(MarginRate, Currency, language),
        "price-units" => PriceUnitTable.Units(language),
        "price-examples" => services.GetService<IUsagePricing>() is { } pricing
            ? PriceUnitTable.Examples(pricing, services.GetService<TimeProvider>()?.GetUtcNow() ?? DateTimeOffset.UtcNow, language)
            : "",
        "api-reference" => await apiReference.MarkdownAsync(language, cancellationToken),
        _ => throw new InvalidOperationException($"A page asks for the generated section '{name}', which does not exist."),
    };

    private TopUpTerms? Terms => services.GetService<ITopUps>()?.Terms;

    private decimal MarginRate => Terms?.MarginRate ?? PublishedMarginRate;

    private string Currency => Terms?.Currency ?? (settings["Catalog:Currency"] is { Length: > 0 } currency ? currency : "USD");

    [GeneratedRegex(@"^\{\{(?<name>[a-z-]+)\}\}\s*$")]
    private static partial Regex Placeholder();
}
