using System.Text;
using System.Text.Json;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Demo;

namespace LlmTr.UnitTests.Gateway;

/// <summary>The built-in demo model's decisions: which tool it calls and with what, its JSON, stop, n and context length.</summary>
public sealed class DemoModelShould
{
    private const string Weather = """{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer","minimum":1},"unit":{"enum":["c","f"]}},"required":["city","days","unit"]}}}""";
    private const string Search = """{"type":"function","function":{"name":"search","parameters":{"type":"object","properties":{"query":{"type":"string"}},"required":["query"]}}}""";

    [Fact]
    public void CallTheToolNamedFirstInTheLastUserMessageWithTheWordsAfterItsName()
    {
        var answer = Answer($$"""{"model":"llmtr/demo","tools":[{{Search}},{{Weather}}],"messages":[{"role":"user","content":"search for cats"},{"role":"assistant","content":"ok"},{"role":"user","content":"Please get_weather Istanbul, then search"}]}""");

        var choice = Assert.Single(answer.Choices);
        Assert.Equal("tool_calls", choice.FinishReason);
        Assert.Equal("get_weather", choice.Call!.Name);
        Assert.Equal("call_demo_1", choice.Call.Id);
        using var arguments = JsonDocument.Parse(string.Concat(choice.Pieces));
        Assert.Equal("Istanbul, then search", arguments.RootElement.GetProperty("city").GetString());
        Assert.Equal(1, arguments.RootElement.GetProperty("days").GetInt32());
        Assert.Equal("c", arguments.RootElement.GetProperty("unit").GetString());
        Assert.All(choice.Pieces, p => Assert.True(p.Length <= DemoModel.ArgumentPiece));
    }

    [Theory]
    [InlineData("use my_get_weather please")] // part of a longer name
    [InlineData("get_weathers")]
    [InlineData("nothing to call")]
    public void AnswerTextWhenNoToolIsNamedAsAWholeWord(string text)
    {
        var answer = Answer($$"""{"model":"llmtr/demo","tools":[{{Weather}}],"messages":[{"role":"user","content":"{{text}}"}]}""");

        Assert.Null(Assert.Single(answer.Choices).Call);
        Assert.Contains(text, string.Concat(answer.Choices[0].Pieces), StringComparison.Ordinal);
    }

    [Fact]
    public void FindANameAfterAnEscapedNewline()
    {
        var answer = Answer($$"""{"model":"llmtr/demo","tools":[{{Search}}],"messages":[{"role":"user","content":"first line\nsearch kittens"}]}""");

        Assert.Equal("search", answer.Choices[0].Call!.Name);
        Assert.Equal("""{"query":"kittens"}""", string.Concat(answer.Choices[0].Pieces));
    }

    [Fact]
    public void FollowToolChoice()
    {
        var forced = Answer($$$"""{"model":"llmtr/demo","tools":[{{{Search}}},{{{Weather}}}],"tool_choice":{"type":"function","function":{"name":"get_weather"}},"messages":[{"role":"user","content":"search dogs"}]}""");
        var required = Answer($$"""{"model":"llmtr/demo","tools":[{{Search}},{{Weather}}],"tool_choice":"required","messages":[{"role":"user","content":"hello"}]}""");
        var none = Answer($$"""{"model":"llmtr/demo","tools":[{{Search}}],"tool_choice":"none","messages":[{"role":"user","content":"search dogs"}]}""");

        Assert.Equal("get_weather", forced.Choices[0].Call!.Name);
        Assert.Equal(("search", """{"query":"demo"}"""), (required.Choices[0].Call!.Name, string.Concat(required.Choices[0].Pieces)));
        Assert.Null(none.Choices[0].Call);
    }

    [Fact]
    public void QuoteAToolResultAndEndItsTurn()
    {
        var answer = Answer($$$"""
            {"model":"llmtr/demo","tools":[{{{Search}}}],"messages":[
              {"role":"user","content":"search cats"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_demo_1","type":"function","function":{"name":"search","arguments":"{\"query\":\"cats\"}"}}]},
              {"role":"tool","tool_call_id":"call_demo_1","content":"3 cats found"}]}
            """);

        var choice = Assert.Single(answer.Choices);
        Assert.Null(choice.Call);
        Assert.Equal("stop", choice.FinishReason);
        Assert.Contains("\"3 cats found\"", string.Concat(choice.Pieces), StringComparison.Ordinal);
    }

    [Fact]
    public void GiveNIdenticalChoicesEachWithItsOwnCallId()
    {
        var text = Answer("""{"model":"llmtr/demo","n":3,"messages":[{"role":"user","content":"hi"}]}""");
        var calls = Answer($$"""{"model":"llmtr/demo","n":2,"tools":[{{Search}}],"messages":[{"role":"user","content":"search x"}]}""");

        Assert.Equal(3, text.Choices.Count);
        Assert.Single(text.Choices.Select(c => string.Concat(c.Pieces)).Distinct());
        Assert.Equal(text.Choices[0].Tokens * 3, text.Usage.CompletionTokens);
        Assert.Equal(["call_demo_1", "call_demo_1_1"], calls.Choices.Select(c => c.Call!.Id));
    }

    [Fact]
    public void CutTheTextAtTheFirstStopSequence()
    {
        var answer = Answer("""{"model":"llmtr/demo","stop":["gateway","demo"],"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal("Hello from LLMTR's built-in ", string.Concat(answer.Choices[0].Pieces));
        Assert.Equal("stop", answer.Choices[0].FinishReason);
    }

    [Fact]
    public void CutAtMaxTokens()
    {
        var answer = Answer("""{"model":"llmtr/demo","max_tokens":3,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(("Hello from LLMTR's", "length", 3L), (string.Concat(answer.Choices[0].Pieces), answer.Choices[0].FinishReason, answer.Usage.CompletionTokens));
    }

    [Fact]
    public void AnswerJsonForJsonModeAndASchemaInstanceForStructuredOutput()
    {
        var mode = Answer("""{"model":"llmtr/demo","response_format":{"type":"json_object"},"messages":[{"role":"user","content":"Merhaba dünya"}]}""");
        var schema = Answer("""
            {"model":"llmtr/demo","response_format":{"type":"json_schema","json_schema":{"name":"r","strict":true,"schema":{
              "type":"object","properties":{"title":{"type":"string"},"tags":{"type":"array","items":{"$ref":"#/$defs/tag"},"minItems":2},"score":{"type":"number","exclusiveMinimum":5},"kind":{"anyOf":[{"type":"null"},{"const":"k"}]}},
              "required":["title","tags","score","kind"],"additionalProperties":false,
              "$defs":{"tag":{"type":"object","properties":{"name":{"type":"string","maxLength":3}},"required":["name"]}}}}},
             "messages":[{"role":"user","content":"Merhaba dünya"}]}
            """);

        using var json = JsonDocument.Parse(string.Concat(mode.Choices[0].Pieces));
        Assert.Contains("Merhaba dünya", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        using var instance = JsonDocument.Parse(string.Concat(schema.Choices[0].Pieces));
        Assert.Equal("""{"title":"Merhaba dünya","tags":[{"name":"Mer"},{"name":"Mer"}],"score":6,"kind":null}""", instance.RootElement.GetRawText());
    }

    [Fact]
    public void RefuseASchemaItCannotSatisfy()
    {
        using var request = Parse("""{"model":"llmtr/demo","response_format":{"type":"json_schema","json_schema":{"name":"r","schema":{"type":"object","properties":{"id":{"type":"string","pattern":"^[a-f]+$"}},"required":["id"]}}},"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Null(DemoModel.Answer(request, "llmtr/demo", 200_000, 8_192, out var refusal));
        Assert.Equal("unsupported_feature", refusal!.Error.Code);
        Assert.Contains("pattern", refusal.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CountWordsMessagesAndToolDefinitionsAgainstTheContextLength()
    {
        var body = $$"""{"model":"llmtr/demo","tools":[{{Search}}],"max_tokens":10,"messages":[{"role":"user","content":"one two three"}]}""";
        var toolTokens = (Encoding.UTF8.GetByteCount($"[{Search}]") + 3) / 4;
        var prompt = 3 + 3 + toolTokens;
        using var request = Parse(body);

        Assert.Equal(prompt, DemoModel.Answer(request, "llmtr/demo", prompt + 10, 8_192, out _)!.Usage.PromptTokens);
        Assert.Null(DemoModel.Answer(request, "llmtr/demo", prompt + 9, 8_192, out var refusal));
        Assert.Equal(("context_length_exceeded", 400), (refusal!.Error.Code, refusal.Status));
        Assert.Contains($"{prompt} prompt tokens plus the 10 output tokens", refusal.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"object","properties":{"a":{"type":["string","null"]},"b":{"type":"boolean"}},"required":["a","b"]}""", """{"a":"t","b":true}""")]
    [InlineData("""{"type":"integer","minimum":3,"maximum":9,"multipleOf":4}""", "4")]
    [InlineData("""{"type":"integer","exclusiveMaximum":-2}""", "-3")]
    [InlineData("""{"type":"string","minLength":3}""", "\"t..\"")]
    [InlineData("""{"type":"string","format":"date-time"}""", "\"2026-01-01T00:00:00Z\"")]
    [InlineData("""{"type":"array","prefixItems":[{"type":"integer"},{"type":"string"}],"minItems":2}""", """[0,"t"]""")]
    [InlineData("""{"oneOf":[{"type":"string","pattern":"x"},{"type":"integer"}]}""", "0")]
    [InlineData("""{"$ref":"#/definitions/n","definitions":{"n":{"type":"null"}}}""", "null")]
    public void BuildTheSmallestInstanceOfASchema(string schema, string expected)
    {
        using var document = JsonDocument.Parse(schema);

        Assert.Equal(expected, DemoSchema.Instance(document.RootElement, "t", strict: true, out var problem));
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("""{"type":"object","properties":{"next":{"$ref":"#"}},"required":["next"]}""", "nests deeper")]
    [InlineData("""{"$ref":"https://example.com/schema.json"}""", "does not point")]
    [InlineData("""{"type":"integer","minimum":5,"maximum":4}""", "no integer")]
    [InlineData("""{"not":{"type":"string"}}""", "'not'")]
    public void SayWhyASchemaCannotBeSatisfied(string schema, string reason)
    {
        using var document = JsonDocument.Parse(schema);

        Assert.Null(DemoSchema.Instance(document.RootElement, "t", strict: true, out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void SplitTextIntoWordPiecesThatPutBackTogetherAreTheText()
    {
        const string text = "two  spaces\nand a line";

        var pieces = DemoModel.Pieces(text);

        Assert.Equal(text, string.Concat(pieces));
        Assert.Equal(5, pieces.Count);
    }

    private static DemoAnswer Answer(string body)
    {
        using var request = Parse(body);
        var answer = DemoModel.Answer(request, "llmtr/demo", 200_000, 8_192, out var refusal);
        Assert.Null(refusal);
        return answer!;
    }

    private static ChatRequest Parse(string body) =>
        ChatRequest.Parse(Encoding.UTF8.GetBytes(body), out var error) ?? throw new InvalidOperationException(error!.Error.Message);
}
