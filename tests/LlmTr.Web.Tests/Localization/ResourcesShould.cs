using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using LlmTr.Web.Resources;

namespace LlmTr.Web.Tests.Localization;

public sealed partial class ResourcesShould
{
    private static readonly ResourceManager Resources = new(typeof(SharedResource).FullName!, typeof(SharedResource).Assembly);

    [Fact]
    public void TranslateEveryEnglishKeyIntoTurkish()
    {
        var english = Read(CultureInfo.InvariantCulture);
        var turkish = Read(new CultureInfo("tr"));

        Assert.Empty(english.Keys.Except(turkish.Keys));
        Assert.Empty(turkish.Keys.Except(english.Keys));
    }

    [Fact]
    public void HoldRealTurkishTextRatherThanCopiedEnglish()
    {
        var english = Read(CultureInfo.InvariantCulture);
        var turkish = Read(new CultureInfo("tr"));

        var untranslated = english.Keys
            .Where(key => string.IsNullOrWhiteSpace(turkish[key]) || turkish[key] == english[key])
            .ToList();
        Assert.Empty(untranslated);
    }

    [Fact]
    public void DefineEveryKeyThePagesAskFor()
    {
        var english = Read(CultureInfo.InvariantCulture);
        var used = Directory.EnumerateFiles(WebProjectDirectory(), "*.razor", SearchOption.AllDirectories)
            .SelectMany(file => LocalizerKey().Matches(File.ReadAllText(file)).Select(match => match.Groups["key"].Value))
            .Distinct()
            .ToList();

        var missing = used.Except(english.Keys).ToList();

        Assert.NotEmpty(used);
        Assert.Empty(missing);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("tr")]
    public void ProvideEveryValidationMessage(string culture)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try
        {
            var messages = typeof(ValidationText).GetProperties().Select(property => (string?)property.GetValue(null)).ToList();
            Assert.NotEmpty(messages);
            Assert.All(messages, message => Assert.False(string.IsNullOrWhiteSpace(message)));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    private static Dictionary<string, string> Read(CultureInfo culture)
    {
        var set = Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)
            ?? throw new InvalidOperationException($"No resources for '{culture.Name}'.");
        return set.Cast<DictionaryEntry>().ToDictionary(entry => (string)entry.Key, entry => (string)entry.Value!);
    }

    private static string WebProjectDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LlmTr.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Repository root not found."), "web", "LlmTr.Web");
    }

    [GeneratedRegex("""L\["(?<key>[A-Za-z0-9_]+)"\]""")]
    private static partial Regex LocalizerKey();
}
