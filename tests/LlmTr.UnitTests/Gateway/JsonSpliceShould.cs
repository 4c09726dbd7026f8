using System.Text;
using System.Text.Json;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.Modules.Gateway.Responses;
using Microsoft.AspNetCore.Http;

namespace LlmTr.UnitTests.Gateway;

/// <summary>
/// A client's body relayed to a provider of its own API as its bytes: only the top-level model's value replaced, the
/// members LLMTR takes out cut with their commas, and the members it adds put before the closing brace.
/// </summary>
public sealed class JsonSpliceShould
{
    private static readonly byte[] Llmtr = "llmtr"u8.ToArray();

    private static readonly byte[] Store = "store"u8.ToArray();

    [Theory]
    [InlineData("""{"model":"a/b","input":"hi"}""", """{"model":"up","input":"hi","store":false}""")]
    [InlineData("""{"store":true,"model":"a/b"}""", """{"model":"up","store":false}""")]
    [InlineData("""{"model":"a/b","store":true}""", """{"model":"up","store":false}""")]
    [InlineData("""{"model":"a/b", "store":true ,"llmtr":{}, "x":[{"store":1}] }""", """{"model":"up", "x":[{"store":1}],"store":false}""")]
    [InlineData("""{"llmtr":{},"store":true}""", """{"store":false}""")]
    [InlineData("""{}""", """{"store":false}""")]
    [InlineData("""{ }""", """{"store":false}""")]
    [InlineData("""{"m\u006fdel":"a/b","t":"\u00e7 ç 😀"}""", """{"m\u006fdel":"up","t":"\u00e7 ç 😀","store":false}""")]
    public void CutAndAddTopLevelMembersKeepingTheRestAsSent(string body, string expected)
    {
        var spliced = JsonSplice.Object(Encoding.UTF8.GetBytes(body), "up", "\"store\":false"u8, Llmtr, Store);

        Assert.Equal(expected, Encoding.UTF8.GetString(spliced.Span));
        using var parsed = JsonDocument.Parse(spliced);
        Assert.False(parsed.RootElement.GetProperty("store").GetBoolean());
    }

    [Fact]
    public void SendTheResponsesApiBodyUnstoredWithTheProvidersModelName()
    {
        var format = new ResponsesFormat(TimeProvider.System);
        var body = """{"model":"openai/gpt-5","input":"Merhaba 😀","store":true,"llmtr":{"residency":"TR"},"tools":[{"type":"web_search"}],"include":["reasoning.encrypted_content"]}"""u8.ToArray();
        using var request = format.Parse(body, out var error);
        Assert.Null(error);

        var upstream = Encoding.UTF8.GetString(format.UpstreamBody("gpt-5-2025-08-07").Span);

        Assert.Equal("""{"model":"gpt-5-2025-08-07","input":"Merhaba 😀","tools":[{"type":"web_search"}],"include":["reasoning.encrypted_content"],"store":false}""", upstream);
    }
}
