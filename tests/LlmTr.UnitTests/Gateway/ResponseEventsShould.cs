using System.Text;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.Modules.Gateway.Responses;
using LlmTr.SharedKernel;
using Microsoft.Extensions.Time.Testing;
using static LlmTr.UnitTests.Gateway.AnthropicTesting;

namespace LlmTr.UnitTests.Gateway;

/// <summary>A streamed answer's typed events rendered as the Responses API's events.</summary>
public sealed class ResponseEventsShould
{
    private const string ChatId = "chatcmpl-req_0001";
    private const string Model = "openai/gpt-4o";

    [Fact]
    public void TurnATextStreamIntoOneMessageItemBetweenCreatedAndCompleted()
    {
        var events = Rewrite(sink =>
        {
            sink.Role(0, callsFirst: false);
            sink.Text(0, "Merhaba");
            sink.Text(0, " dünya");
            sink.Finish(0, "stop");
            sink.Usage(new UsageCounts(12, 3, 2, 0), new UsageCharge(0.0042m, "TRY"));
            sink.Done();
        });

        Assert.Equal(
        [
            "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
            "response.output_text.delta", "response.output_text.delta", "response.output_text.done", "response.content_part.done",
            "response.output_item.done", "response.completed",
        ], events.Select(e => e.Type));
        AssertSequenceNumbers(events);
        Assert.All(events, e => Assert.Equal(e.Type, e.Data.GetProperty("type").GetString()));

        var created = events[0].Data.GetProperty("response");
        Assert.Equal(("resp_0001", "response", "in_progress", Model), (created.Text("id"), created.Text("object"), created.Text("status"), created.Text("model")));
        Assert.Equal(0, created.GetProperty("output").GetArrayLength());
        Assert.False(created.TryGetProperty("usage", out _), "OpenAI's schema allows a usage object or none, not null, before the answer is complete");
        Assert.False(events[1].Data.GetProperty("response").TryGetProperty("usage", out _));

        var added = events[2].Data;
        Assert.Equal(0, added.GetProperty("output_index").GetInt32());
        Assert.Equal(("msg_0001", "message", "in_progress"), (added.GetProperty("item").Text("id"), added.GetProperty("item").Text("type"), added.GetProperty("item").Text("status")));
        Assert.Equal(("output_text", ""), (events[3].Data.GetProperty("part").Text("type"), events[3].Data.GetProperty("part").Text("text")));
        foreach (var e in events.Skip(3).Take(5))
        {
            Assert.Equal(("msg_0001", 0, 0), (e.Data.Text("item_id"), e.Data.GetProperty("output_index").GetInt32(), e.Data.GetProperty("content_index").GetInt32()));
        }

        Assert.Equal(["Merhaba", " dünya"], events.Where(e => e.Type == "response.output_text.delta").Select(e => e.Data.Text("delta")));
        Assert.Equal("Merhaba dünya", events[6].Data.Text("text"));
        Assert.Equal("Merhaba dünya", events[7].Data.GetProperty("part").Text("text"));
        Assert.Equal("completed", events[8].Data.GetProperty("item").Text("status"));

        var completed = events[^1].Data.GetProperty("response");
        Assert.Equal(("completed", JsonValueKind.Null), (completed.Text("status"), completed.GetProperty("error").ValueKind));
        var message = Assert.Single(completed.GetProperty("output").EnumerateArray());
        Assert.Equal("Merhaba dünya", message.GetProperty("content")[0].Text("text"));
        var usage = completed.GetProperty("usage");
        Assert.Equal((12, 2, 3, 0, 15), (usage.GetProperty("input_tokens").GetInt32(), usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32(),
            usage.GetProperty("output_tokens").GetInt32(), usage.GetProperty("output_tokens_details").GetProperty("reasoning_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32()));
        Assert.Equal(0.0042m, usage.GetProperty("cost").GetDecimal());
        Assert.Equal(0, usage.GetProperty("input_tokens_details").GetProperty("cache_write_tokens").GetInt32());
        Assert.DoesNotContain("[DONE]", Raw(events), StringComparison.Ordinal);
    }

    [Fact]
    public void GiveEachOfTwoParallelToolCallsItsOwnFunctionCallItem()
    {
        var events = Rewrite(sink =>
        {
            sink.Text(0, "Bakıyorum.");
            sink.ToolCall(0, 0, "call_a", "get_weather", "");
            sink.ToolCall(0, 0, null, null, "{\"city\":");
            sink.ToolCall(0, 0, null, null, "\"İzmir\"}");
            sink.ToolCall(0, 1, "call_b", "get_weather", "{\"city\":\"Van\"}");
            sink.Finish(0, "tool_calls");
            sink.Usage(new UsageCounts(30, 8, 0, 0), new UsageCharge(0.01m, "TRY"));
            sink.Done();
        });

        Assert.Equal(
        [
            "response.created", "response.in_progress",
            "response.output_item.added", "response.content_part.added", "response.output_text.delta", "response.output_text.done", "response.content_part.done", "response.output_item.done",
            "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta", "response.function_call_arguments.done", "response.output_item.done",
            "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.done", "response.output_item.done",
            "response.completed",
        ], events.Select(e => e.Type));
        AssertSequenceNumbers(events);

        var first = events[8].Data;
        Assert.Equal(1, first.GetProperty("output_index").GetInt32());
        var firstItem = first.GetProperty("item");
        Assert.Equal(("function_call", "call_a", "get_weather", ""), (firstItem.Text("type"), firstItem.Text("call_id"), firstItem.Text("name"), firstItem.Text("arguments")));
        var firstId = firstItem.Text("id");
        foreach (var e in events.Skip(9).Take(4))
        {
            Assert.Equal((firstId, 1), ((e.Data.TryGetProperty("item_id", out var itemId) ? itemId.GetString() : e.Data.GetProperty("item").Text("id")), e.Data.GetProperty("output_index").GetInt32()));
        }

        Assert.Equal("{\"city\":\"İzmir\"}", events[11].Data.Text("arguments"));
        Assert.Equal("get_weather", events[11].Data.Text("name"));

        var second = events[13].Data;
        Assert.Equal(2, second.GetProperty("output_index").GetInt32());
        var secondId = second.GetProperty("item").Text("id");
        Assert.NotEqual(firstId, secondId);
        Assert.Equal((secondId, 2, "{\"city\":\"Van\"}"), (events[14].Data.Text("item_id"), events[14].Data.GetProperty("output_index").GetInt32(), events[14].Data.Text("delta")));
        Assert.Equal(("completed", "call_b"), (events[16].Data.GetProperty("item").Text("status"), events[16].Data.GetProperty("item").Text("call_id")));

        var output = events[^1].Data.GetProperty("response").GetProperty("output");
        Assert.Equal(["message", "function_call", "function_call"], output.EnumerateArray().Select(i => i.Text("type")));
        Assert.Equal(["{\"city\":\"İzmir\"}", "{\"city\":\"Van\"}"], output.EnumerateArray().Skip(1).Select(i => i.Text("arguments")));
    }

    [Fact]
    public void StreamAFreeformToolsCallAsACustomToolCallWithItsWholeInput()
    {
        var events = Rewrite(sink =>
        {
            sink.ToolCall(0, 0, "call_p", "apply_patch", "");
            sink.ToolCall(0, 0, null, null, "{\"input\":\"*** Begin");
            sink.ToolCall(0, 0, null, null, " Patch\"}");
            sink.Finish(0, "tool_calls");
            sink.Usage(new UsageCounts(30, 8, 0, 0), new UsageCharge(0.01m, "TRY"));
            sink.Done();
        }, """{"model":"m","input":"x","tools":[{"type":"custom","name":"apply_patch"}]}""");

        Assert.Equal(
        [
            "response.created", "response.in_progress", "response.output_item.added",
            "response.custom_tool_call_input.delta", "response.custom_tool_call_input.done", "response.output_item.done", "response.completed",
        ], events.Select(e => e.Type));
        AssertSequenceNumbers(events);
        Assert.Equal(("custom_tool_call", "call_p", ""), (events[2].Data.GetProperty("item").Text("type"), events[2].Data.GetProperty("item").Text("call_id"), events[2].Data.GetProperty("item").Text("input")));
        Assert.Equal(("*** Begin Patch", "*** Begin Patch"), (events[3].Data.Text("delta"), events[4].Data.Text("input")));
        var item = Assert.Single(events[^1].Data.GetProperty("response").GetProperty("output").EnumerateArray());
        Assert.Equal(("custom_tool_call", "apply_patch", "*** Begin Patch"), (item.Text("type"), item.Text("name"), item.Text("input")));
    }

    [Fact]
    public void PutStreamedReasoningTextInAReasoningItemBeforeTheMessage()
    {
        var events = Rewrite(sink =>
        {
            sink.Reasoning(0, "Think");
            sink.Reasoning(0, "ing.");
            sink.Text(0, "Done.");
            sink.Finish(0, "stop");
            sink.Done();
        });

        Assert.Equal(
        [
            "response.created", "response.in_progress",
            "response.output_item.added", "response.reasoning_text.delta", "response.reasoning_text.delta", "response.reasoning_text.done", "response.output_item.done",
            "response.output_item.added", "response.content_part.added", "response.output_text.delta", "response.output_text.done", "response.content_part.done", "response.output_item.done",
            "response.completed",
        ], events.Select(e => e.Type));
        AssertSequenceNumbers(events);
        Assert.Equal(("rs_0001", 0), (events[3].Data.Text("item_id"), events[3].Data.GetProperty("output_index").GetInt32()));
        Assert.Equal("Thinking.", events[5].Data.Text("text"));
        Assert.Equal(1, events[9].Data.GetProperty("output_index").GetInt32());
        var output = events[^1].Data.GetProperty("response").GetProperty("output");
        Assert.Equal(["reasoning", "message"], output.EnumerateArray().Select(i => i.Text("type")));
        Assert.Equal("Thinking.", output[0].GetProperty("content")[0].Text("text"));
    }

    [Fact]
    public void EndAnAnswerCutByTheTokenLimitAsIncomplete()
    {
        var events = Rewrite(sink =>
        {
            sink.Text(0, "Uzun bir");
            sink.Finish(0, "length");
            sink.Usage(new UsageCounts(5, 2, 0, 0), new UsageCharge(0m, "TRY"));
            sink.Done();
        });

        var last = events[^1];
        Assert.Equal("response.incomplete", last.Type);
        Assert.Equal(("incomplete", "max_output_tokens"), (last.Data.GetProperty("response").Text("status"), last.Data.GetProperty("response").GetProperty("incomplete_details").Text("reason")));
    }

    [Fact]
    public void TurnAnErrorMidStreamIntoAnErrorEventAndAFailedResponse()
    {
        var events = Rewrite(sink =>
        {
            sink.Text(0, "Yarım");
            sink.Error(ApiErrors.ProviderStreamInterrupted.With("The provider's stream was cut."));
        });

        Assert.Equal(["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added", "response.output_text.delta", "error", "response.failed"],
            events.Select(e => e.Type));
        AssertSequenceNumbers(events);
        Assert.Equal(("provider_stream_interrupted", "The provider's stream was cut."), (events[5].Data.Text("code"), events[5].Data.Text("message")));
        var failed = events[6].Data.GetProperty("response");
        Assert.Equal(("failed", "server_error"), (failed.Text("status"), failed.GetProperty("error").Text("code")));
    }

    [Fact]
    public void OpenTheResponseBeforeAnErrorThatCameFirst()
    {
        var events = Rewrite(sink => sink.Error(ApiErrors.RateLimitExceeded.With("Slow down.")));

        Assert.Equal(["response.created", "response.in_progress", "error", "response.failed"], events.Select(e => e.Type));
        Assert.Equal("rate_limit_exceeded", events[3].Data.GetProperty("response").GetProperty("error").Text("code"));
    }

    private static void AssertSequenceNumbers(List<Event> events) =>
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Data.GetProperty("sequence_number").GetInt32()));

    /// <summary>Sends the events as the pipeline does and reads back what the client gets.</summary>
    private static List<Event> Rewrite(Action<ChunkSink> write, string? request = null)
    {
        using var echoed = request is null ? null : JsonDocument.Parse(request);
        var echo = echoed is null ? ResponseEcho.Empty : new ResponseEcho(echoed.RootElement.Clone());
        using var sink = new ResponseEvents(ChatId, Model, 1_765_000_000, "req_0001", echo, new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_765_000_001)));
        write(sink);
        var text = Encoding.UTF8.GetString(sink.TakePending().Span);
        var events = new List<Event>();
        foreach (var frame in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = frame.Split('\n');
            Assert.StartsWith("event: ", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("data: ", lines[1], StringComparison.Ordinal);
            using var data = JsonDocument.Parse(lines[1]["data: ".Length..]);
            events.Add(new Event(lines[0]["event: ".Length..], data.RootElement.Clone(), frame));
        }

        return events;
    }

    private static string Raw(List<Event> events) => string.Join("\n\n", events.Select(e => e.Frame));

    private sealed record Event(string Type, JsonElement Data, string Frame);
}
