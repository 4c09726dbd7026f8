using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Gateway.Messages;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.Modules.Gateway.Responses;
using LlmTr.SharedKernel;

namespace LlmTr.UnitTests.Gateway;

/// <summary>
/// Streams relayed natively (the Messages API to Anthropic, the Responses API to OpenAI): the events that only pass
/// through are read in one pass and sent as the provider framed them; the ones LLMTR restamps carry its ids.
/// </summary>
public sealed class NativeStreamsShould
{
    [Fact]
    public void RelayMessagesEventsAsSentRestampingOnlyMessageStart()
    {
        var translator = new NativeMessageStream("anthropic/claude-sonnet-4.5", "msg_llmtr");
        using var sink = new MessageEvents("chatcmpl-req_unit", "anthropic/claude-sonnet-4.5", 1);
        const string delta = """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\u00e7ö😀"}}""";
        var events = new (string Type, string Data)[]
        {
            ("message_start", """{"type":"message_start","message":{"id":"msg_up","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"usage":{"input_tokens":21,"output_tokens":1},"x":{"\u0079":"ç"}}}"""),
            ("ping", """{"type": "ping"}"""),
            ("content_block_delta", delta),
            ("content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"a\":"}}"""),
            ("message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":14}}"""),
            ("message_stop", """{"type":"message_stop"}"""),
        };

        var framed = new StringBuilder();
        foreach (var (type, data) in events)
        {
            translator.OnEvent(new SseItem<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes(data), type), sink);
            framed.Append(Encoding.UTF8.GetString(sink.TakePending().Span));
        }

        Assert.True(translator.Completed);
        Assert.True(translator.UsageReported);
        Assert.Equal(14, translator.Usage.CompletionTokens);
        Assert.Equal(4 + 5, translator.GeneratedCharacters); // ç, ö and a two-character emoji; then {"a":
        var text = framed.ToString();
        Assert.Contains($"event: content_block_delta\ndata: {delta}\n\n", text, StringComparison.Ordinal);
        var start = JsonDocument.Parse(text.Split("\n\n")[0].Split("\ndata: ")[1]).RootElement.GetProperty("message");
        Assert.Equal(("msg_llmtr", "anthropic/claude-sonnet-4.5", "ç"), (start.GetProperty("id").GetString(), start.GetProperty("model").GetString(), start.GetProperty("x").GetProperty("y").GetString()));
        Assert.Equal(21, start.GetProperty("usage").GetProperty("input_tokens").GetInt32());
    }

    [Theory]
    [InlineData("content_block_delta", """{"type":"content_block_delta","delta":{"text":"a"}""")]
    [InlineData("ping", """{"type":"ping"} {}""")]
    public void RefuseAMessagesEventThatIsNotJson(string type, string data)
    {
        var translator = new NativeMessageStream("anthropic/claude-sonnet-4.5", "msg_llmtr");
        using var sink = new MessageEvents("chatcmpl-req_unit", "anthropic/claude-sonnet-4.5", 1);

        var error = Assert.Throws<UpstreamStreamException>(() => translator.OnEvent(new SseItem<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes(data), type), sink));

        Assert.Contains("not JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RelayResponsesDeltasAsSentAndNumberLlmtrsOwnEventsAfterThem()
    {
        var format = new ResponsesFormat(TimeProvider.System);
        using var request = format.Parse("""{"model":"openai/gpt-5","input":"Hi"}"""u8.ToArray(), out _);
        var translator = format.StartNativeStream("openai/gpt-5", "chatcmpl-req_unit");
        using var sink = format.CreateStream("chatcmpl-req_unit", "openai/gpt-5", 1, "req_unit");
        const string delta = """{"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"Mer\u0068aba 😀","sequence_number":7}""";
        var events = new (string Type, string Data)[]
        {
            ("response.created", """{"type":"response.created","response":{"id":"resp_up","object":"response","model":"gpt-5","status":"in_progress","output":[]},"sequence_number":0}"""),
            ("response.output_text.delta", delta),
            ("response.completed", """{"type":"response.completed","response":{"id":"resp_up","object":"response","model":"gpt-5","status":"completed","output":[],"usage":{"input_tokens":3,"output_tokens":2,"total_tokens":5}},"sequence_number":8}"""),
        };

        var framed = new StringBuilder();
        foreach (var (type, data) in events)
        {
            translator.OnEvent(new SseItem<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes(data), type), sink);
            framed.Append(Encoding.UTF8.GetString(sink.TakePending().Span));
        }

        Assert.True(translator.Completed);
        Assert.Equal(new UsageCounts(3, 2, 0, 0), translator.Usage);
        Assert.Equal(10, translator.GeneratedCharacters); // "Merhaba ", and a two-character emoji
        Assert.Contains($"event: response.output_text.delta\ndata: {delta}\n\n", framed.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"id\":\"resp_", framed.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("resp_up", framed.ToString(), StringComparison.Ordinal);

        // The pipeline's own error after the relayed events continues their numbering (the last relayed was 8).
        sink.Error(new OpenAiError("cut", "server_error", null, "provider_error"));
        var error = Encoding.UTF8.GetString(sink.TakePending().Span);
        Assert.Contains("\"sequence_number\":9", error, StringComparison.Ordinal);
    }

    [Fact]
    public void RefuseAResponsesEventThatIsNotJson()
    {
        var format = new ResponsesFormat(TimeProvider.System);
        using var request = format.Parse("""{"model":"openai/gpt-5","input":"Hi"}"""u8.ToArray(), out _);
        var translator = format.StartNativeStream("openai/gpt-5", "chatcmpl-req_unit");
        using var sink = format.CreateStream("chatcmpl-req_unit", "openai/gpt-5", 1, "req_unit");

        var error = Assert.Throws<UpstreamStreamException>(() => translator.OnEvent(
            new SseItem<ReadOnlyMemory<byte>>("""{"type":"response.output_text.delta","delta":"a","sequence_number":1"""u8.ToArray(), "response.output_text.delta"), sink));

        Assert.Contains("not JSON", error.Message, StringComparison.Ordinal);
    }
}
