using System.Text;
using System.Text.Json;
using LlmTr.Modules.Gateway.Messages;

namespace LlmTr.UnitTests.Gateway;

/// <summary>
/// A Messages API body at LLMTR's own level: the lenient header check that admits it for any model, and the client's
/// bytes relayed with only the model's value replaced and the <c>llmtr</c> member cut out.
/// </summary>
public sealed class MessagesBodyShould
{
    [Theory]
    [InlineData("""{"model":"a/b","max_tokens":5,"messages":[]}""", """{"model":"up","max_tokens":5,"messages":[]}""")]
    [InlineData("""{ "messages" : [ ] ,"model" : "a/b" }""", """{ "messages" : [ ] ,"model" : "up" }""")]
    [InlineData("""{"llmtr":{"residency":"TR"},"model":"a/b","x":1}""", """{"model":"up","x":1}""")]
    [InlineData("""{"model":"a/b", "llmtr":{} ,"x":1}""", """{"model":"up" ,"x":1}""")]
    [InlineData("""{"model":"a/b","x":[1,{"llmtr":2,"model":"keep"}],"llmtr":null}""", """{"model":"up","x":[1,{"llmtr":2,"model":"keep"}]}""")]
    [InlineData("""{"llmtr":{}}""", """{}""")]
    [InlineData("""{"llmtr":1,"llmtr":2,"model":"a/b"}""", """{"model":"up"}""")]
    [InlineData("""{"mod\u0065l":"a/b","t":"\u00e7\ud83d\ude00\"\\"}""", """{"mod\u0065l":"up","t":"\u00e7\ud83d\ude00\"\\"}""")]
    [InlineData("\n{\n\t\"model\":\"a/b\"\n}\n", "\n{\n\t\"model\":\"up\"\n}\n")]
    public void ReplaceOnlyTheModelsValueAndCutLlmtrsMember(string body, string expected)
    {
        var spliced = MessagesBody.Splice(Encoding.UTF8.GetBytes(body), "up");

        Assert.Equal(expected, Encoding.UTF8.GetString(spliced.Span));
        using var parsed = JsonDocument.Parse(spliced);
        Assert.Equal(JsonValueKind.Object, parsed.RootElement.ValueKind);
    }

    [Fact]
    public void WriteTheUpstreamNameAsAJsonString()
    {
        var spliced = MessagesBody.Splice("""{"model":"a/b"}"""u8.ToArray(), "odd\"name");

        using var parsed = JsonDocument.Parse(spliced);
        Assert.Equal("odd\"name", parsed.RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public void AdmitABodyTheTranslationWouldRefuseWithItsHeaderFields()
    {
        var body = """
            {"model":"anthropic/claude-sonnet-4.5","max_tokens":900,"stream":true,"llmtr":{"retention":"none"},
             "messages":[{"role":"user","content":[{"type":"mystery"}]},{"role":"system","content":7}],"temperature":9}
            """u8.ToArray();

        using var request = MessagesBody.Envelope(body, countingTokens: false, out var error);

        Assert.Null(error);
        Assert.NotNull(request);
        Assert.Equal(("anthropic/claude-sonnet-4.5", 900, true, true), (request.Model, request.MaxTokens, request.Stream, request.IncludeUsage));
        Assert.Equal(body.Length, request.BodyLength);
        Assert.True(request.Residency.NoRetention);
        Assert.Equal(0, request.Messages.GetArrayLength());
    }

    [Theory]
    [InlineData("""{"model":"a/b","messages":[]}""", "max_tokens")]
    [InlineData("""{"model":"a/b","max_tokens":1.5,"messages":[]}""", "max_tokens")]
    [InlineData("""{"max_tokens":1,"messages":[]}""", "model")]
    [InlineData("""{"model":"a/b","max_tokens":1}""", "messages")]
    [InlineData("""{"model":"a/b","max_tokens":1,"messages":[],"stream":1}""", "stream")]
    [InlineData("""{"model":"a/b","max_tokens":1,"messages":[],"llmtr":{"speed":"fast"}}""", "llmtr.speed")]
    public void RefuseWhatLlmtrNeedsAndCannotRead(string body, string param)
    {
        var request = MessagesBody.Envelope(Encoding.UTF8.GetBytes(body), countingTokens: false, out var error);

        Assert.Null(request);
        Assert.Equal(param, error!.Error.Param);
    }

    [Fact]
    public void NotAskATokenCountForMaxTokens()
    {
        using var request = MessagesBody.Envelope("""{"model":"a/b","messages":[]}"""u8.ToArray(), countingTokens: true, out var error);

        Assert.Null(error);
        Assert.Null(request!.MaxTokens);
    }
}
