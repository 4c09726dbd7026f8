using Bunit;
using LlmTr.Modules.Gateway.Contracts;
using LlmTr.Web.Pages.Playground;
using LlmTr.Web.Tests.Support;

namespace LlmTr.Web.Tests.Playground;

public sealed class CodeSamplesShould : WebTestContext
{
    private static readonly PlaygroundRequest Request = new(
        "llmtr/demo",
        [new PlaygroundMessage("system", "Be brief."), new PlaygroundMessage("user", "Say \"merhaba\"\nand 'bye'")],
        0.5,
        64);

    [Fact]
    public void OfferTheRequestInCurlPythonJavaScriptAndCSharpEachWithACopyButton()
    {
        var samples = Render<CodeSamples>(parameters => parameters.Add(c => c.BaseUrl, "https://llmtr.example/v1").Add(c => c.Request, Request));

        foreach (var language in new[] { "curl", "python", "javascript", "csharp" })
        {
            var block = samples.Find($"[data-testid='code-{language}']");
            Assert.NotNull(block.QuerySelector("button.llmtr-copy[data-copied='Copied']"));
            var code = block.QuerySelector("pre code")!.TextContent;
            Assert.Contains("llmtr/demo", code, StringComparison.Ordinal);
            Assert.Contains("LLMTR_API_KEY", code, StringComparison.Ordinal);
            Assert.Contains("Be brief.", code, StringComparison.Ordinal);
            Assert.Contains("https://llmtr.example/v1", code, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void WriteEachMessageAsAStringLiteralOfItsLanguage()
    {
        var javaScript = ConversationCode.JavaScript("https://llmtr.example/v1", Request);
        var csharp = ConversationCode.CSharp("https://llmtr.example/v1", Request);

        Assert.Contains("{ role: \"user\", content: \"Say \\\"merhaba\\\"\\nand 'bye'\" },", javaScript, StringComparison.Ordinal);
        Assert.Contains("temperature: 0.5,", javaScript, StringComparison.Ordinal);
        Assert.Contains("max_tokens: 64,", javaScript, StringComparison.Ordinal);
        Assert.Contains("new SystemChatMessage(\"Be brief.\"),", csharp, StringComparison.Ordinal);
        Assert.Contains("new UserChatMessage(\"Say \\\"merhaba\\\"\\nand 'bye'\"),", csharp, StringComparison.Ordinal);
        Assert.Contains("new ChatCompletionOptions { Temperature = 0.5f, MaxOutputTokenCount = 64 };", csharp, StringComparison.Ordinal);
    }
}
