using System.Buffers;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.Modules.Gateway.Responses;
using static LlmTr.UnitTests.Gateway.AnthropicTesting;

namespace LlmTr.UnitTests.Gateway;

/// <summary>A non-streamed chat answer written as the Responses API's <c>response</c> object.</summary>
public sealed class ResponseAnswerShould
{
    private static readonly ResponseStamp Stamp = new("chatcmpl-req_0002", "openai/gpt-4o", 1_765_000_000, new UsageCharge(0.25m, "TRY"));

    [Fact]
    public void PutReasoningTextAndToolCallsInTheirOwnItems()
    {
        var response = Write("""
            {"choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":"Bakıyorum.","reasoning_content":"The user wants two cities.",
              "tool_calls":[{"id":"call_a","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"İzmir\"}"}},
                            {"id":"call_b","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Van\"}"}}]}}]}
            """, new UsageCounts(100, 40, 20, 12),
            """{"model":"openai/gpt-4o","input":"x","instructions":"Be brief.","tools":[{"type":"function","name":"get_weather"}],"metadata":{"k":"v"},"store":true}""");

        Assert.Equal(("resp_0002", "response", "completed", "openai/gpt-4o", 1_765_000_000L),
            (response.Text("id"), response.Text("object"), response.Text("status"), response.Text("model"), response.GetProperty("created_at").GetInt64()));
        var output = response.GetProperty("output");
        Assert.Equal(["reasoning", "message", "function_call", "function_call"], output.EnumerateArray().Select(i => i.Text("type")));
        Assert.Equal("rs_0002", output[0].Text("id"));
        Assert.Equal("The user wants two cities.", output[0].GetProperty("content")[0].Text("text"));
        Assert.Equal(("msg_0002", "assistant", "completed"), (output[1].Text("id"), output[1].Text("role"), output[1].Text("status")));
        Assert.Equal(("output_text", "Bakıyorum.", 0), (output[1].GetProperty("content")[0].Text("type"), output[1].GetProperty("content")[0].Text("text"),
            output[1].GetProperty("content")[0].GetProperty("annotations").GetArrayLength()));
        Assert.Equal(("call_a", "get_weather", "{\"city\":\"İzmir\"}", "completed"), (output[2].Text("call_id"), output[2].Text("name"), output[2].Text("arguments"), output[2].Text("status")));
        Assert.NotEqual(output[2].Text("id"), output[3].Text("id"));
        var usage = response.GetProperty("usage");
        Assert.Equal((100, 20, 40, 12, 140, 0.25m), (usage.GetProperty("input_tokens").GetInt32(), usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32(),
            usage.GetProperty("output_tokens").GetInt32(), usage.GetProperty("output_tokens_details").GetProperty("reasoning_tokens").GetInt32(),
            usage.GetProperty("total_tokens").GetInt32(), usage.GetProperty("cost").GetDecimal()));
        Assert.Equal(0, usage.GetProperty("input_tokens_details").GetProperty("cache_write_tokens").GetInt32());
        Assert.Equal(("Be brief.", "get_weather", "v", false), (response.Text("instructions"), response.GetProperty("tools")[0].Text("name"), response.GetProperty("metadata").Text("k"),
            response.GetProperty("store").GetBoolean()));
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null, JsonValueKind.Null), (response.GetProperty("error").ValueKind, response.GetProperty("incomplete_details").ValueKind,
            response.GetProperty("previous_response_id").ValueKind));
        Assert.False(response.TryGetProperty("output_text", out _));
    }

    [Fact]
    public void GiveAFreeformToolsCallBackAsTheCustomToolCallItWasOfferedAs()
    {
        // A translated model was offered the freeform tool as a function with one string parameter 'input'.
        var response = Write("""
            {"choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
              "tool_calls":[{"id":"call_p","type":"function","function":{"name":"apply_patch","arguments":"{\"input\":\"*** Begin Patch\\n*** End Patch\"}"}}]}}]}
            """, request: """{"model":"m","input":"x","tools":[{"type":"custom","name":"apply_patch"},{"type":"function","name":"f"}]}""");

        var item = Assert.Single(response.GetProperty("output").EnumerateArray());
        Assert.Equal(("custom_tool_call", "call_p", "apply_patch", "*** Begin Patch\n*** End Patch"), (item.Text("type"), item.Text("call_id"), item.Text("name"), item.Text("input")));
        Assert.False(item.TryGetProperty("arguments", out _));
    }

    [Fact]
    public void NameTheNamespaceOfACalledToolDeclaredInOne()
    {
        var response = Write("""
            {"choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
              "tool_calls":[{"id":"call_r","type":"function","function":{"name":"read_file","arguments":"{}"}}]}}]}
            """, request: """{"model":"m","input":"x","tools":[{"type":"namespace","name":"files","tools":[{"type":"function","name":"read_file"}]}]}""");

        var item = Assert.Single(response.GetProperty("output").EnumerateArray());
        Assert.Equal(("function_call", "files", "read_file"), (item.Text("type"), item.Text("namespace"), item.Text("name")));
    }

    [Fact]
    public void WriteARefusalAsARefusalPart()
    {
        var response = Write("""{"choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":null,"refusal":"I can't help with that."}}]}""");

        var part = Assert.Single(Assert.Single(response.GetProperty("output").EnumerateArray()).GetProperty("content").EnumerateArray());
        Assert.Equal(("refusal", "I can't help with that."), (part.Text("type"), part.Text("refusal")));
    }

    [Theory]
    [InlineData("length", "max_output_tokens")]
    [InlineData("content_filter", "content_filter")]
    public void MarkACutAnswerIncompleteWithItsReason(string finishReason, string reason)
    {
        var response = Write($$$"""{"choices":[{"index":0,"finish_reason":"{{{finishReason}}}","message":{"role":"assistant","content":"Yarım"}}]}""");

        Assert.Equal(("incomplete", reason), (response.Text("status"), response.GetProperty("incomplete_details").Text("reason")));
        Assert.Equal(JsonValueKind.Null, response.GetProperty("completed_at").ValueKind);
    }

    private static JsonElement Write(string chat, UsageCounts? usage = null, string request = """{"model":"m","input":"x"}""")
    {
        using var requestDocument = JsonDocument.Parse(request);
        var output = new ArrayBufferWriter<byte>();
        ResponseAnswer.Write(output, new FixedCompletion(chat, usage ?? new UsageCounts(1, 1)), Stamp, new ResponseEcho(requestDocument.RootElement.Clone()), 1_765_000_003);
        using var document = JsonDocument.Parse(output.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>An answer already in OpenAI's chat shape.</summary>
    private sealed class FixedCompletion(string json, UsageCounts usage) : ChatCompletion
    {
        public override UsageCounts Usage => usage;

        public override void WriteTo(Utf8JsonWriter writer, ResponseStamp stamp)
        {
            using var document = JsonDocument.Parse(json);
            document.RootElement.WriteTo(writer);
        }
    }
}
