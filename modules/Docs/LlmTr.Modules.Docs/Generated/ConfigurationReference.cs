using System.Globalization;
using System.Reflection;
using System.Text.Json;
using LlmTr.Modules.Docs.Content;
using LlmTr.Modules.Docs.Rendering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmTr.Modules.Docs.Generated;

/// <summary>
/// The configuration reference: every property of every options class the host registered (found in the service
/// collection, so a new setting shows up by itself with its default from code), described in English and Turkish
/// from <c>Content/configuration.json</c>, which also lists the few settings read directly from configuration.
/// </summary>
internal sealed class ConfigurationReference(IServiceCollection services)
{
    private static readonly JsonSerializerOptions DescriptionJson = new(JsonSerializerDefaults.Web);

    private readonly Lazy<IReadOnlyList<OptionsSetting>> _options = new(() => Reflect(services));
    private readonly Lazy<IReadOnlyList<SettingDescription>> _descriptions = new(ReadDescriptions);

    /// <summary>Every settable property of the registered LLMTR options classes, as <c>Section:Property</c>.</summary>
    public IReadOnlyList<OptionsSetting> OptionsSettings => _options.Value;

    public IReadOnlyList<SettingDescription> Descriptions => _descriptions.Value;

    public string Markdown(string language)
    {
        var options = OptionsSettings.ToDictionary(o => o.Key, StringComparer.Ordinal);
        var table = new MarkdownTable(
            Words.In(language, "Setting (environment variable)", "Ayar (ortam değişkeni)"),
            Words.In(language, "Default", "Varsayılan"),
            Words.In(language, "Meaning", "Anlamı"));
        foreach (var description in Descriptions)
        {
            var fallback = options.TryGetValue(description.Key, out var setting) ? setting.Default : null;
            var shown = description.Default is { } text ? Words.In(language, text.En, text.Tr) : fallback ?? Words.In(language, "unset", "ayarlanmamış");
            table.RawRow(MarkdownTable.Code(EnvironmentName(description.Key)), MarkdownTable.Code(shown), MarkdownTable.Escape(Words.In(language, description.En, description.Tr)));
        }

        // A setting nobody described still appears, so the reference never hides one (a test insists on a description).
        foreach (var setting in OptionsSettings.Where(o => Descriptions.All(d => d.Key != o.Key)))
        {
            table.RawRow(MarkdownTable.Code(EnvironmentName(setting.Key)), MarkdownTable.Code(setting.Default ?? "—"), "");
        }

        return table.ToString();
    }

    /// <summary>The name as an environment variable: each <c>:</c> becomes <c>__</c>.</summary>
    public static string EnvironmentName(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    private static List<OptionsSetting> Reflect(IServiceCollection services) =>
        services
            .Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IConfigureOptions<>))
            .Select(d => d.ServiceType.GenericTypeArguments[0])
            .Where(t => t.Assembly.GetName().Name!.StartsWith("LlmTr.", StringComparison.Ordinal))
            .Distinct()
            .Select(t => (Type: t, Section: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string))
            .Where(t => t.Section is not null)
            .SelectMany(t => Settings(t.Type, t.Section!))
            .ToList();

    private static IEnumerable<OptionsSetting> Settings(Type type, string section)
    {
        var defaults = Activator.CreateInstance(type, nonPublic: true);
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true })
            .SelectMany(p => IsNested(p.PropertyType)
                ? Settings(p.PropertyType, $"{section}:{p.Name}") // a group of settings of its own (Gateway:Routing:Cooldown)
                : [new OptionsSetting($"{section}:{p.Name}", Format(p.GetValue(defaults)))]);
    }

    /// <summary>An options class inside another: its settings are listed one by one under the property's name.</summary>
    public static bool IsNested(Type type) =>
        type.IsClass && type != typeof(string) && type.Assembly.GetName().Name!.StartsWith("LlmTr.", StringComparison.Ordinal);

    private static string? Format(object? value) => value switch
    {
        null => null,
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static List<SettingDescription> ReadDescriptions() =>
        JsonSerializer.Deserialize<List<SettingDescription>>(
            DocsContent.Read(typeof(ConfigurationReference).Assembly, "docs/configuration.json")!,
            DescriptionJson)!;
}

internal sealed record OptionsSetting(string Key, string? Default);

/// <param name="Default">Shown instead of the code's default: required for settings read directly from configuration.</param>
internal sealed record SettingDescription(string Key, string En, string Tr, LocalizedDefault? Default);

internal sealed record LocalizedDefault(string En, string Tr);
