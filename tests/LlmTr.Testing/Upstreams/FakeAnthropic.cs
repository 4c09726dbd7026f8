using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace LlmTr.Testing.Upstreams;

/// <summary>
/// Anthropic's Messages API as a fake provider speaks it: a recording <see cref="FakeUpstream"/> whose answer a test
/// sets before each call, and the real wire shapes (message bodies, error bodies, the event stream) to answer with.
/// </summary>
public sealed class FakeAnthropic : IAsyncDisposable
{
    private volatile Func<ReceivedRequest, HttpContext, Task> _respond = (_, context) => Sse.JsonAsync(context, 200, Message(Text("Hello.")));

    private FakeAnthropic(FakeUpstream upstream) => Upstream = upstream;

    public FakeUpstream Upstream { get; }

    /// <summary>The last request the fake received.</summary>
    public ReceivedRequest Last => Upstream.Received.Last();

    public static async Task<FakeAnthropic> StartAsync()
    {
        FakeAnthropic? self = null;
        var upstream = await FakeUpstream.StartAsync((request, context) => self!._respond(request, context));
        self = new FakeAnthropic(upstream);
        return self;
    }

    /// <summary>How the following requests are answered.</summary>
    public void Answer(Func<ReceivedRequest, HttpContext, Task> respond) => _respond = respond;

    /// <summary>Answers the following requests with this message body.</summary>
    public void AnswerWith(string messageJson) => Answer((_, context) => Sse.JsonAsync(context, 200, messageJson));

    /// <summary>Answers the following requests with an error status and Anthropic's error body.</summary>
    public void FailWith(int status, string type, string message) => Answer((_, context) => Sse.JsonAsync(context, status, Error(type, message)));

    /// <summary>Answers the following requests with an event stream the test writes.</summary>
    public void Stream(Func<AnthropicEvents, Task> write) => Answer(async (_, context) =>
    {
        Sse.Start(context);
        await write(new AnthropicEvents(context));
    });

    public ValueTask DisposeAsync() => Upstream.DisposeAsync();

    /// <summary>A complete (non-streamed) message with these content blocks.</summary>
    public static string Message(string contentBlocks, string stopReason = "end_turn", AnthropicTokens? usage = null) => $$"""
        {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
         "content":[{{contentBlocks}}],"stop_reason":"{{stopReason}}","stop_sequence":null,"usage":{{(usage ?? new AnthropicTokens(10, 5)).Json}}}
        """;

    public static string Text(string text) => $$"""{"type":"text","text":{{JsonSerializer.Serialize(text)}}}""";

    public static string ToolUse(string id, string name, string inputJson) => $$"""{"type":"tool_use","id":"{{id}}","name":"{{name}}","input":{{inputJson}}}""";

    public static string Error(string type, string message) =>
        $$"""{"type":"error","error":{"type":"{{type}}","message":{{JsonSerializer.Serialize(message)}}},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}""";
}

/// <summary>Anthropic's token counts: uncached input, cache reads and writes apart, output.</summary>
public sealed record AnthropicTokens(int Input, int Output, int CacheRead = 0, int CacheCreation = 0)
{
    public string Json =>
        $$"""{"input_tokens":{{Input}},"cache_creation_input_tokens":{{CacheCreation}},"cache_read_input_tokens":{{CacheRead}},"output_tokens":{{Output}},"service_tier":"standard"}""";
}

/// <summary>Writes one streamed answer the way the Messages API does: named events, each flushed as it is written.</summary>
public sealed class AnthropicEvents(HttpContext context)
{
    private int _block;

    /// <summary>The message's start, with the input counts (and, as Anthropic does, an output count of one so far).</summary>
    public Task StartAsync(AnthropicTokens usage)
    {
        var counts = (usage with { Output = 1 }).Json;
        return EventAsync("message_start", $$$"""
            {"type":"message_start","message":{"id":"msg_01VkUdTmo8bbVWLy6ncCJdPb","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{{{counts}}}}}
            """);
    }

    /// <summary>A text block, its text sent in these pieces.</summary>
    public async Task TextAsync(params string[] pieces)
    {
        await BlockStartAsync(Text(""));
        foreach (var piece in pieces)
        {
            await DeltaAsync($$"""{"type":"text_delta","text":{{JsonSerializer.Serialize(piece)}}}""");
        }

        await BlockStopAsync();
    }

    /// <summary>A tool_use block, its input JSON sent in these pieces.</summary>
    public async Task ToolUseAsync(string id, string name, params string[] inputPieces)
    {
        await BlockStartAsync(FakeAnthropic.ToolUse(id, name, "{}"));
        await DeltaAsync("""{"type":"input_json_delta","partial_json":""}""");
        foreach (var piece in inputPieces)
        {
            await DeltaAsync($$"""{"type":"input_json_delta","partial_json":{{JsonSerializer.Serialize(piece)}}}""");
        }

        await BlockStopAsync();
    }

    public Task PingAsync() => EventAsync("ping", """{"type": "ping"}""");

    /// <summary>The stop reason and final output count, then the end of the message.</summary>
    public async Task EndAsync(string stopReason, int outputTokens)
    {
        await EventAsync("message_delta", $$$"""
            {"type":"message_delta","delta":{"stop_reason":"{{{stopReason}}}","stop_sequence":null},"usage":{"output_tokens":{{{outputTokens}}}}}
            """);
        await EventAsync("message_stop", """{"type":"message_stop"}""");
    }

    public Task ErrorAsync(string type, string message) => EventAsync("error", FakeAnthropic.Error(type, message));

    private Task BlockStartAsync(string block) =>
        EventAsync("content_block_start", $$"""{"type":"content_block_start","index":{{_block}},"content_block":{{block}}}""");

    private Task DeltaAsync(string delta) =>
        EventAsync("content_block_delta", $$"""{"type":"content_block_delta","index":{{_block}},"delta":{{delta}}}""");

    private async Task BlockStopAsync()
    {
        await EventAsync("content_block_stop", $$"""{"type":"content_block_stop","index":{{_block}}}""");
        _block++;
    }

    private Task EventAsync(string name, string json) => Sse.DataAsync(context, json.ReplaceLineEndings(" ").Trim(), name);

    private static string Text(string text) => FakeAnthropic.Text(text);
}
