using System.Text;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Gateway.Messages;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.SharedKernel;

namespace LlmTr.UnitTests.Gateway;

/// <summary>Typed stream events rendered straight into a client's API, and an OpenAI-compatible provider's chunks read into them.</summary>
public sealed class AnswerSinksShould
{
    [Fact]
    public void GatherOneUpstreamEventsPiecesIntoTheChunksOpenAiStreams()
    {
        using var sink = new OpenAiChunks("chatcmpl-req_1", "llmtr/x", 1_765_000_000, includeUsage: true);

        sink.Role(0, callsFirst: false);
        sink.Text(0, "Merhaba");
        sink.ToolCall(0, 0, "call_a", "f", "{}");
        sink.Text(0, " dünya");
        sink.Finish(0, "stop");
        var chunks = Chunks(sink.TakePending());

        Assert.Equal(3, chunks.Count);
        var first = Delta(chunks[0]);
        Assert.Equal(("assistant", "Merhaba", "call_a"), (first.GetProperty("role").GetString(), first.GetProperty("content").GetString(),
            first.GetProperty("tool_calls")[0].GetProperty("id").GetString()));
        Assert.Equal(" dünya", Delta(chunks[1]).GetProperty("content").GetString());
        Assert.Equal(JsonValueKind.Null, chunks[1].GetProperty("choices")[0].GetProperty("finish_reason").ValueKind);
        Assert.Equal("stop", chunks[2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Empty(Delta(chunks[2]).EnumerateObject());
        Assert.All(chunks, c => Assert.Equal(("chatcmpl-req_1", "chat.completion.chunk", "llmtr/x"), (c.GetProperty("id").GetString(), c.GetProperty("object").GetString(), c.GetProperty("model").GetString())));
    }

    [Fact]
    public void SendTheUsageChunkOnlyWhenTheClientAskedForIt()
    {
        using var asked = new OpenAiChunks("chatcmpl-req_1", "llmtr/x", 1, includeUsage: true);
        using var notAsked = new OpenAiChunks("chatcmpl-req_1", "llmtr/x", 1, includeUsage: false);
        foreach (var sink in new[] { asked, notAsked })
        {
            sink.Usage(new UsageCounts(10, 2, 0, 0), new UsageCharge(0.5m, "TRY"));
            sink.Done();
        }

        var withUsage = Encoding.UTF8.GetString(asked.TakePending().Span);
        Assert.Contains("\"cost\":0.5", withUsage, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", withUsage, StringComparison.Ordinal);
        Assert.Equal("data: [DONE]\n\n", Encoding.UTF8.GetString(notAsked.TakePending().Span));
    }

    [Fact]
    public void PassAnOpenAiProvidersChunkToAnOpenAiClientAsItCame()
    {
        using var sink = new OpenAiChunks("chatcmpl-req_1", "llmtr/x", 1, includeUsage: false);
        var w = sink.Begin();
        w.WriteStartArray("choices"u8);
        w.WriteRawValue("""{"index":0,"delta":{"content":"x"},"logprobs":{"content":[]},"finish_reason":null}""");
        w.WriteEndArray();
        w.WriteString("system_fingerprint"u8, "fp_1");
        sink.End();

        var chunk = Assert.Single(Chunks(sink.TakePending()));
        Assert.Equal("fp_1", chunk.GetProperty("system_fingerprint").GetString());
        Assert.Equal(JsonValueKind.Array, chunk.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content").ValueKind);
    }

    [Fact]
    public void ReadAnOpenAiProvidersChunkIntoTheMessagesApisEvents()
    {
        using var sink = new MessageEvents("chatcmpl-req_1", "deepseek/chat", 1);
        var w = sink.Begin();
        w.WriteStartArray("choices"u8);
        w.WriteRawValue("""{"index":0,"delta":{"role":"assistant","content":"Selam","tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"hava","arguments":"{\"il\":"}}]},"finish_reason":null}""");
        w.WriteEndArray();
        sink.End();
        w = sink.Begin();
        w.WriteStartArray("choices"u8);
        w.WriteRawValue("""{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Van\"}"}}]},"finish_reason":"tool_calls"}""");
        w.WriteEndArray();
        sink.End();
        sink.Usage(new UsageCounts(7, 3, 0, 0), new UsageCharge(0.01m, "TRY"));
        sink.Done();

        var events = Encoding.UTF8.GetString(sink.TakePending().Span).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => JsonDocument.Parse(e.Split('\n')[1]["data: ".Length..]).RootElement.Clone()).ToList();
        Assert.Equal(
            ["message_start", "content_block_start", "content_block_delta", "content_block_stop", "content_block_start", "content_block_delta", "content_block_delta",
                "content_block_stop", "message_delta", "message_stop"],
            events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal("Selam", events[2].GetProperty("delta").GetProperty("text").GetString());
        Assert.Equal(("tool_use", "call_1", "hava"), (events[4].GetProperty("content_block").GetProperty("type").GetString(),
            events[4].GetProperty("content_block").GetProperty("id").GetString(), events[4].GetProperty("content_block").GetProperty("name").GetString()));
        Assert.Equal("{\"il\":\"Van\"}", events[5].GetProperty("delta").GetProperty("partial_json").GetString() + events[6].GetProperty("delta").GetProperty("partial_json").GetString());
        Assert.Equal("tool_use", events[8].GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(0.01m, events[8].GetProperty("usage").GetProperty("cost").GetDecimal());
    }

    [Fact]
    public void EndAMessagesStreamWithAnthropicsErrorEvent()
    {
        using var sink = new MessageEvents("chatcmpl-req_1", "deepseek/chat", 1);
        sink.Text(0, "Yarım");
        sink.Error(ApiErrors.ProviderStreamInterrupted.With("Cut."));
        sink.Done();

        var text = Encoding.UTF8.GetString(sink.TakePending().Span);
        Assert.Contains("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":", text, StringComparison.Ordinal);
        Assert.Contains("\"message\":\"Cut.\"}}", text, StringComparison.Ordinal);
        Assert.DoesNotContain("message_stop", text, StringComparison.Ordinal);
    }

    private static List<JsonElement> Chunks(ReadOnlyMemory<byte> framed) =>
        Encoding.UTF8.GetString(framed.Span).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement.Clone()).ToList();

    private static JsonElement Delta(JsonElement chunk) => chunk.GetProperty("choices")[0].GetProperty("delta");
}
