using System.Runtime.Loader;
using System.Text.RegularExpressions;
using LlmTr.Modules.Docs.Content;
using LlmTr.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LlmTr.IntegrationTests.Docs;

/// <summary>
/// The Quickstart's C# example is compiled as the program it claims to be and run against a real host on Kestrel:
/// a documented example that does not build or does not work fails here.
/// </summary>
public sealed partial class QuickstartShould : IAsyncLifetime
{
    private const string DocumentedBaseUrl = "https://llmtr.com/v1";

    // What a new console project's implicit usings give the example, as `dotnet new console` would.
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private LlmTrHostFactory _host = null!;
    private Uri _baseAddress = null!;

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.InstanceAsync();
        _host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["Demo:AdminPassword"] = "Demo-Admin-Pass-1",
        });
        _baseAddress = _host.StartOnKestrel();
    }

    [Fact]
    public void ShowTheSameCSharpExampleInBothLanguages() =>
        Assert.Equal(CSharpExample("en"), CSharpExample("tr"));

    [Fact]
    public async Task RunItsCSharpExampleAgainstTheHost()
    {
        var example = CSharpExample("en");
        Assert.Contains(DocumentedBaseUrl, example, StringComparison.Ordinal);
        var program = Compile(example.Replace(DocumentedBaseUrl, new Uri(_baseAddress, "v1").ToString(), StringComparison.Ordinal));
        var (_, key) = await TestAccounts.CreateKeyAsync(_host);

        var output = new StringWriter();
        var console = Console.Out;
        Environment.SetEnvironmentVariable("LLMTR_API_KEY", key.RawKey);
        try
        {
            Console.SetOut(TextWriter.Synchronized(output));
            await Task.Run(() => program.EntryPoint!.Invoke(null, [Array.Empty<string>()]));
        }
        finally
        {
            Console.SetOut(console);
            Environment.SetEnvironmentVariable("LLMTR_API_KEY", null);
        }

        Assert.Contains("Hello from LLMTR's built-in demo model", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Merhaba!", output.ToString(), StringComparison.Ordinal);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string CSharpExample(string language) =>
        CSharpBlock().Match(new DocsContent().Markdown(language, "quickstart")!) is { Success: true } match
            ? match.Groups["code"].Value
            : throw new Xunit.Sdk.XunitException($"The {language} Quickstart has no C# example.");

    /// <summary>Compiles a console program against the test's own framework and packages (OpenAI among them).</summary>
    private static System.Reflection.Assembly Compile(string code)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path));
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "QuickstartExample",
            [CSharpSyntaxTree.ParseText(code, parse), CSharpSyntaxTree.ParseText(ImplicitUsings, parse)],
            references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        image.Position = 0;
        return new AssemblyLoadContext("quickstart-example", isCollectible: true).LoadFromStream(image);
    }

    [GeneratedRegex("```csharp\n(?<code>[\\s\\S]*?)```")]
    private static partial Regex CSharpBlock();
}
