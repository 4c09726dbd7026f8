using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Gateway.Protocols;
using static LlmTr.UnitTests.Gateway.AnthropicTesting;

namespace LlmTr.UnitTests.Gateway;

/// <summary>Anthropic event streams, as recorded from the Messages API, turned into OpenAI chunks.</summary>
public sealed class AnthropicStreamShould
{
    private const string TextStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_01VkUdTmo8bbVWLy6ncCJdPb","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":21,"cache_creation_input_tokens":0,"cache_read_input_tokens":2048,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":1,"service_tier":"standard"}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: ping
        data: {"type": "ping"}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Merhaba"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"! Size nasıl"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" yardımcı olabilirim?"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":14}}

        event: message_stop
        data: {"type":"message_stop"}


        """;

    private const string ToolStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_014p7gG3wDgGV9EUtLvnow3U","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","stop_sequence":null,"usage":{"input_tokens":472,"output_tokens":2},"content":[],"stop_reason":null}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Checking both cities."}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: content_block_start
        data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\": \"Par"}}

        event: ping
        data: {"type": "ping"}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"is\"}"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":1}

        event: content_block_start
        data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_02","name":"get_weather","input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"city\": \"Rome\"}"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":2}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}

        event: message_stop
        data: {"type":"message_stop"}


        """;

    [Fact]
    public void StartWithTheAssistantRoleAndStreamTheTextAsContent()
    {
        var (chunks, translator) = Stream(TextStream);

        Assert.Equal("assistant", chunks[0].Text("choices.0.delta.role"));
        Assert.Equal("Merhaba! Size nasıl yardımcı olabilirim?", Content(chunks));
        Assert.All(chunks, c =>
        {
            Assert.Equal("chat.completion.chunk", c.Text("object"));
            Assert.Equal("chatcmpl-req_unit", c.Text("id"));
            Assert.Equal("anthropic/claude-sonnet-4.5", c.Text("model"));
        });
        Assert.Equal("stop", chunks[^1].Text("choices.0.finish_reason"));
        Assert.Equal(JsonValueKind.Null, chunks[^2].At("choices.0.finish_reason").ValueKind);
        Assert.True(translator.Completed);
    }

    [Fact]
    public void SendOneChunkPerTextDeltaAndNoneForPingsOrBlockBoundaries()
    {
        var (chunks, _) = Stream(TextStream);

        // The role, three text deltas, the finish reason.
        Assert.Equal(5, chunks.Count);
    }

    [Fact]
    public void ReportUsageWithCacheReadsFromMessageStartAndOutputFromMessageDelta()
    {
        var (_, translator) = Stream(TextStream);

        Assert.True(translator.UsageReported);
        Assert.Equal(new UsageCounts(21 + 2048, 14, CachedPromptTokens: 2048), translator.Usage);
    }

    [Fact]
    public void NotCallUsageReportedBeforeTheFinalOutputCountArrives()
    {
        var cut = TextStream[..TextStream.IndexOf("event: content_block_stop", StringComparison.Ordinal)];

        var (_, translator) = Stream(cut);

        Assert.False(translator.UsageReported);
        Assert.False(translator.Completed);
        Assert.Equal(2069, translator.Usage.PromptTokens);
        Assert.Equal("Merhaba! Size nasıl yardımcı olabilirim?".Length, translator.GeneratedCharacters);
    }

    [Fact]
    public void StreamToolUseAsToolCallsNamedFirstThenArgumentsPieceByPiece()
    {
        var (chunks, translator) = Stream(ToolStream);

        var calls = chunks.Where(c => c.At("choices.0.delta").Has("tool_calls")).Select(c => c.At("choices.0.delta.tool_calls.0")).ToList();
        var first = calls[0];
        Assert.Equal(0, first.GetProperty("index").GetInt32());
        Assert.Equal("toolu_01T1x1fJ34qAmk2tNTrN7Up6", first.Text("id"));
        Assert.Equal("function", first.Text("type"));
        Assert.Equal("get_weather", first.Text("function.name"));
        Assert.Equal("", first.Text("function.arguments"));
        Assert.All(calls.Skip(1).Where(c => c.GetProperty("index").GetInt32() == 0), c => Assert.False(c.Has("id")));
        Assert.Equal("{\"city\": \"Paris\"}", Arguments(calls, 0));
        Assert.Equal("toolu_02", calls.Single(c => c.GetProperty("index").GetInt32() == 1 && c.Has("id")).Text("id"));
        Assert.Equal("{\"city\": \"Rome\"}", Arguments(calls, 1));
        Assert.Equal("Checking both cities.", Content(chunks));
        Assert.Equal("tool_calls", chunks[^1].Text("choices.0.finish_reason"));
        Assert.Equal(new UsageCounts(472, 89), translator.Usage);
    }

    [Fact]
    public void StreamTheAnswerToolsInputAsContentForAJsonSchema()
    {
        const string answer = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"usage":{"input_tokens":90,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"person","input":{}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"name\": "}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"\"Ada\"}"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":20}}

            event: message_stop
            data: {"type":"message_stop"}


            """;
        var request = Hello("""
            "stream":true,"response_format":{"type":"json_schema","json_schema":{"name":"person","schema":{"type":"object"}}}
            """);

        var (chunks, _) = Stream(answer, request);

        Assert.Equal("{\"name\": \"Ada\"}", Content(chunks));
        Assert.DoesNotContain(chunks, c => c.At("choices.0.delta").Has("tool_calls"));
        Assert.Equal("stop", chunks[^1].Text("choices.0.finish_reason"));
    }

    [Fact]
    public void SkipThinkingBlocks()
    {
        const string thinking = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_2","type":"message","role":"assistant","content":[],"usage":{"input_tokens":10,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me think."}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: content_block_start
            data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"42"}}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":30}}

            event: message_stop
            data: {"type":"message_stop"}


            """;

        var (chunks, _) = Stream(thinking);

        Assert.Equal("42", Content(chunks));
        Assert.Equal(3, chunks.Count);
    }

    [Theory]
    [InlineData("overloaded_error", "Overloaded", true)]
    [InlineData("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", true)]
    [InlineData("api_error", "Internal server error", false)]
    public void ThrowOnAnErrorEventSayingWhetherTheProviderIsRateLimiting(string type, string message, bool rateLimited)
    {
        var sse = TextStream[..TextStream.IndexOf("event: content_block_stop", StringComparison.Ordinal)]
            + $$$"""
            event: error
            data: {"type": "error", "error": {"type": "{{{type}}}", "message": "{{{message}}}"}}


            """;

        var error = Assert.Throws<UpstreamStreamException>(() => Stream(sse));

        Assert.Equal(message, error.Message);
        Assert.Equal(rateLimited, error.RateLimited);
    }

    [Theory]
    [InlineData("data: not json\n\n")]
    [InlineData("data: {\"no_type\":1}\n\n")]
    [InlineData("data: {\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"x\"}}\n\n")]
    public void RefuseEventsItCannotRead(string sse)
    {
        Assert.Throws<UpstreamStreamException>(() => Stream(sse));
    }

    private static string Content(List<JsonElement> chunks) => string.Concat(chunks
        .Select(c => c.At("choices.0.delta"))
        .Where(d => d.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
        .Select(d => d.Text("content")));

    private static string Arguments(List<JsonElement> calls, int index) => string.Concat(calls
        .Where(c => c.GetProperty("index").GetInt32() == index)
        .Select(c => c.Text("function.arguments")));
}
