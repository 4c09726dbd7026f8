using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace LlmTr.Testing.Upstreams;

/// <summary>
/// Answers in OpenAI's Responses API wire format (<c>POST /v1/responses</c>), as OpenAI does: a <c>response</c> object,
/// or its event stream (<c>response.created</c>, <c>response.in_progress</c>, the output items with their parts and
/// deltas, <c>response.completed</c> with usage), every event with its <c>event:</c> line and <c>sequence_number</c>.
/// </summary>
public static class FakeOpenAiResponses
{
    public const string UpstreamId = "resp_upstream_0123456789";

    public const long CreatedAt = 1_765_000_000;

    /// <summary>A finished <c>response</c> object with these output items and this usage.</summary>
    public static string Response(IReadOnlyList<object> output, Tokens tokens, string status = "completed", string model = "gpt-4o-2024-08-06") =>
        JsonSerializer.Serialize(ResponseObject(output, tokens, status, model));

    /// <summary>A finished response with one message of <paramref name="text"/>.</summary>
    public static string TextResponse(string text, Tokens tokens) => Response([Message("msg_upstream_1", text)], tokens);

    /// <summary>A finished response with one function call.</summary>
    public static string FunctionCallResponse(string callId, string name, string arguments, Tokens tokens) =>
        Response([FunctionCall("fc_upstream_1", callId, name, arguments)], tokens);

    /// <summary>An assistant message item; <paramref name="text"/> null writes it as just opened (in progress, no parts).</summary>
    public static Dictionary<string, object?> Message(string id, string? text) => new()
    {
        ["id"] = id,
        ["type"] = "message",
        ["status"] = text is null ? "in_progress" : "completed",
        ["content"] = text is null ? Array.Empty<object>() : new object[] { TextPart(text) },
        ["role"] = "assistant",
    };

    public static Dictionary<string, object?> FunctionCall(string id, string callId, string name, string arguments, string status = "completed") => new()
    {
        ["id"] = id,
        ["type"] = "function_call",
        ["status"] = status,
        ["arguments"] = arguments,
        ["call_id"] = callId,
        ["name"] = name,
    };

    /// <summary>A reasoning item as a model that keeps no state returns it: a summary and the encrypted content.</summary>
    public static Dictionary<string, object?> Reasoning(string id, string summary) => new()
    {
        ["id"] = id,
        ["type"] = "reasoning",
        ["summary"] = new[] { new { type = "summary_text", text = summary } },
        ["encrypted_content"] = "gAAAAAB-opaque-reasoning-state",
    };

    public static Dictionary<string, object?> Usage(Tokens tokens) => new()
    {
        ["input_tokens"] = tokens.Input,
        ["input_tokens_details"] = new Dictionary<string, object?> { ["cached_tokens"] = tokens.Cached, ["cache_write_tokens"] = 0 },
        ["output_tokens"] = tokens.Output,
        ["output_tokens_details"] = new Dictionary<string, object?> { ["reasoning_tokens"] = tokens.Reasoning },
        ["total_tokens"] = tokens.Input + tokens.Output,
    };

    /// <summary>A streamed message: one text delta per piece, then <c>response.completed</c> with <paramref name="tokens"/>.</summary>
    public static async Task StreamTextAsync(HttpContext context, IReadOnlyList<string> pieces, Tokens tokens)
    {
        var events = await StartAsync(context);
        const string Id = "msg_upstream_1";
        await events.SendAsync("response.output_item.added", new() { ["output_index"] = 0, ["item"] = Message(Id, null) });
        await events.SendAsync("response.content_part.added", Part(Id, TextPart("")));
        foreach (var piece in pieces)
        {
            await events.SendAsync("response.output_text.delta",
                new() { ["item_id"] = Id, ["output_index"] = 0, ["content_index"] = 0, ["delta"] = piece, ["logprobs"] = Array.Empty<object>() });
        }

        var text = string.Concat(pieces);
        await events.SendAsync("response.output_text.done",
            new() { ["item_id"] = Id, ["output_index"] = 0, ["content_index"] = 0, ["text"] = text, ["logprobs"] = Array.Empty<object>() });
        await events.SendAsync("response.content_part.done", Part(Id, TextPart(text)));
        var message = Message(Id, text);
        await events.SendAsync("response.output_item.done", new() { ["output_index"] = 0, ["item"] = message });
        await events.CompleteAsync([message], tokens);
    }

    /// <summary>A streamed function call whose arguments arrive in <paramref name="pieces"/>, then <c>response.completed</c>.</summary>
    public static async Task StreamFunctionCallAsync(HttpContext context, string callId, string name, IReadOnlyList<string> pieces, Tokens tokens)
    {
        var events = await StartAsync(context);
        const string Id = "fc_upstream_1";
        await events.SendAsync("response.output_item.added", new() { ["output_index"] = 0, ["item"] = FunctionCall(Id, callId, name, "", "in_progress") });
        foreach (var piece in pieces)
        {
            await events.SendAsync("response.function_call_arguments.delta", new() { ["item_id"] = Id, ["output_index"] = 0, ["delta"] = piece });
        }

        var arguments = string.Concat(pieces);
        await events.SendAsync("response.function_call_arguments.done", new() { ["item_id"] = Id, ["output_index"] = 0, ["name"] = name, ["arguments"] = arguments });
        var call = FunctionCall(Id, callId, name, arguments);
        await events.SendAsync("response.output_item.done", new() { ["output_index"] = 0, ["item"] = call });
        await events.CompleteAsync([call], tokens);
    }

    /// <summary>Opens a stream with <c>response.created</c> and <c>response.in_progress</c>; the rest is the caller's.</summary>
    public static async Task<Events> StartAsync(HttpContext context)
    {
        Sse.Start(context);
        var events = new Events(context);
        var response = ResponseObject([], null, "in_progress", "gpt-4o-2024-08-06");
        await events.SendAsync("response.created", new() { ["response"] = response });
        await events.SendAsync("response.in_progress", new() { ["response"] = response });
        return events;
    }

    public static string Error(string message, string type = "server_error", string? code = null) =>
        JsonSerializer.Serialize(new { error = new { message, type, param = (string?)null, code } });

    private static Dictionary<string, object?> ResponseObject(IReadOnlyList<object> output, Tokens? tokens, string status, string model) => new Dictionary<string, object?>
    {
        ["id"] = UpstreamId,
        ["object"] = "response",
        ["created_at"] = CreatedAt,
        ["status"] = status,
        ["background"] = false,
        ["completed_at"] = status == "completed" ? CreatedAt + 2 : (long?)null,
        ["error"] = null,
        ["incomplete_details"] = status == "incomplete" ? new { reason = "max_output_tokens" } : null,
        ["instructions"] = null,
        ["max_output_tokens"] = null,
        ["model"] = model,
        ["output"] = output,
        ["parallel_tool_calls"] = true,
        ["previous_response_id"] = null,
        ["reasoning"] = new { effort = (string?)null, summary = (string?)null },
        ["service_tier"] = "default",
        ["store"] = false,
        ["temperature"] = 1.0,
        ["text"] = new { format = new { type = "text" }, verbosity = "medium" },
        ["tool_choice"] = "auto",
        ["tools"] = Array.Empty<object>(),
        ["top_p"] = 1.0,
        ["truncation"] = "disabled",
        ["metadata"] = new Dictionary<string, string>(),
    }.WithUsage(tokens);

    /// <summary>Usage once the answer is complete; before that the object has none (OpenAI's schema has no null for it).</summary>
    private static Dictionary<string, object?> WithUsage(this Dictionary<string, object?> response, Tokens? tokens)
    {
        if (tokens is { } counts)
        {
            response["usage"] = Usage(counts);
        }

        return response;
    }

    private static Dictionary<string, object?> TextPart(string text) => new()
    {
        ["type"] = "output_text",
        ["annotations"] = Array.Empty<object>(),
        ["logprobs"] = Array.Empty<object>(),
        ["text"] = text,
    };

    private static Dictionary<string, object?> Part(string itemId, object part) =>
        new() { ["item_id"] = itemId, ["output_index"] = 0, ["content_index"] = 0, ["part"] = part };

    /// <summary>Token counts of one answer.</summary>
    public readonly record struct Tokens(long Input, long Output, long Cached = 0, long Reasoning = 0);

    /// <summary>One stream's events, numbered in order as OpenAI numbers them.</summary>
    public sealed class Events(HttpContext context)
    {
        private int _sequence;

        public async Task SendAsync(string type, Dictionary<string, object?> fields)
        {
            var data = new Dictionary<string, object?> { ["type"] = type };
            foreach (var (name, value) in fields)
            {
                data[name] = value;
            }

            data["sequence_number"] = _sequence++;
            await Sse.DataAsync(context, JsonSerializer.Serialize(data), type);
        }

        public Task CompleteAsync(IReadOnlyList<object> output, Tokens tokens, string status = "completed") =>
            SendAsync(status == "completed" ? "response.completed" : "response.incomplete",
                new() { ["response"] = ResponseObject(output, tokens, status, "gpt-4o-2024-08-06") });

        /// <summary>OpenAI's <c>error</c> event: the stream ends with it.</summary>
        public Task ErrorAsync(string code, string message) =>
            SendAsync("error", new() { ["code"] = code, ["message"] = message, ["param"] = null });
    }
}
