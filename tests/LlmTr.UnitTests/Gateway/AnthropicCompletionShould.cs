using LlmTr.Modules.Gateway.Protocols;
using LlmTr.Modules.Gateway.Protocols.Anthropic;
using static LlmTr.UnitTests.Gateway.AnthropicTesting;

namespace LlmTr.UnitTests.Gateway;

/// <summary>A Messages API answer, as the client receives it in OpenAI's format.</summary>
public sealed class AnthropicCompletionShould
{
    private const string TextAnswer = """
        {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
         "content":[{"type":"text","text":"Merhaba! "},{"type":"text","text":"How can I help?"}],
         "stop_reason":"end_turn","stop_sequence":null,
         "usage":{"input_tokens":12,"cache_creation_input_tokens":40,"cache_read_input_tokens":1000,"output_tokens":9,"service_tier":"standard"}}
        """;

    private const string ToolAnswer = """
        {"id":"msg_01Aq9w938a90dw8q","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
         "content":[{"type":"thinking","thinking":"The user wants weather.","signature":"EqQBCgIYAhIM"},
                    {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather","input":{"city":"Paris","unit":"celsius"}},
                    {"type":"tool_use","id":"toolu_01B","name":"get_time","input":{}}],
         "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":380,"output_tokens":71}}
        """;

    [Fact]
    public void JoinTextBlocksIntoTheMessageContent()
    {
        var (completion, written) = Answer(TextAnswer);

        Assert.Equal("Merhaba! How can I help?", written.Text("choices.0.message.content"));
        Assert.Equal("assistant", written.Text("choices.0.message.role"));
        Assert.Equal("stop", written.Text("choices.0.finish_reason"));
        Assert.Equal("chat.completion", written.Text("object"));
        Assert.Equal("chatcmpl-req_unit", written.Text("id"));
        Assert.Equal("anthropic/claude-sonnet-4.5", written.Text("model"));
        Assert.False(written.At("choices.0.message").Has("tool_calls"));
        Assert.Empty(((AnthropicCompletion)completion).ToolCalls);
    }

    [Fact]
    public void CountTheWholePromptWithCacheReadsAsCachedTokens()
    {
        var (completion, written) = Answer(TextAnswer);

        Assert.Equal(12 + 40 + 1000, completion.Usage.PromptTokens);
        Assert.Equal(1000, completion.Usage.CachedPromptTokens);
        Assert.Equal(9, completion.Usage.CompletionTokens);
        Assert.Equal(1052, written.At("usage.prompt_tokens").GetInt64());
        Assert.Equal(9, written.At("usage.completion_tokens").GetInt64());
        Assert.Equal(1061, written.At("usage.total_tokens").GetInt64());
        Assert.Equal(1000, written.At("usage.prompt_tokens_details.cached_tokens").GetInt64());
        Assert.Equal(0.01m, written.At("usage.cost").GetDecimal());
    }

    [Fact]
    public void TurnToolUseBlocksIntoToolCallsWithJsonTextArguments()
    {
        var (completion, written) = Answer(ToolAnswer);

        var calls = written.At("choices.0.message.tool_calls");
        Assert.Equal(2, calls.GetArrayLength());
        Assert.Equal("toolu_01A09q90qw90lq917835lq9", calls.Text("0.id"));
        Assert.Equal("function", calls.Text("0.type"));
        Assert.Equal("get_weather", calls.Text("0.function.name"));
        Assert.Equal("""{"city":"Paris","unit":"celsius"}""", calls.Text("0.function.arguments"));
        Assert.Equal("{}", calls.Text("1.function.arguments"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, written.At("choices.0.message.content").ValueKind);
        Assert.Equal("tool_calls", written.Text("choices.0.finish_reason"));
        Assert.Equal(new LlmTr.Modules.Billing.Contracts.UsageCounts(380, 71), completion.Usage);
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("pause_turn", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("model_context_window_exceeded", "length")]
    [InlineData("tool_use", "tool_calls")]
    [InlineData("refusal", "content_filter")]
    public void MapTheStopReason(string stopReason, string finishReason)
    {
        var (_, written) = Answer($$$"""
            {"type":"message","role":"assistant","content":[{"type":"text","text":"…"}],"stop_reason":"{{{stopReason}}}","usage":{"input_tokens":1,"output_tokens":1}}
            """);

        Assert.Equal(finishReason, written.Text("choices.0.finish_reason"));
    }

    [Fact]
    public void GiveTheAnswerToolsInputAsTheContentOfAJsonSchemaAnswer()
    {
        var request = Hello("""
            "response_format":{"type":"json_schema","json_schema":{"name":"person","schema":{"type":"object","properties":{"name":{"type":"string"}}}}}
            """);

        var (_, written) = Answer("""
            {"type":"message","role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"person","input":{"name":"Ada"}}],
             "stop_reason":"tool_use","usage":{"input_tokens":50,"output_tokens":12}}
            """, request);

        Assert.Equal("""{"name":"Ada"}""", written.Text("choices.0.message.content"));
        Assert.False(written.At("choices.0.message").Has("tool_calls"));
        Assert.Equal("stop", written.Text("choices.0.finish_reason"));
    }

    [Fact]
    public void AnswerWithEmptyContentWhenTheModelSaidNothing()
    {
        var (_, written) = Answer("""{"type":"message","role":"assistant","content":[],"stop_reason":"end_turn","usage":{"input_tokens":3,"output_tokens":0}}""");

        Assert.Equal("", written.Text("choices.0.message.content"));
    }

    [Theory]
    [InlineData("""{"type":"message","role":"assistant"}""")]
    [InlineData("""{"type":"message","content":[{"type":"tool_use","name":"f","input":{}}]}""")]
    [InlineData("""[]""")]
    public void RefuseAnAnswerThatIsNotAMessage(string body)
    {
        Assert.Throws<UpstreamProtocolException>(() => Answer(body));
    }
}
