using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;

namespace LlmTr.Modules.Gateway.Responses;

/// <summary>One item of a response's <c>output</c>, built up from a completion or from stream chunks.</summary>
internal sealed class OutputItem
{
    private OutputItem(string type, string id)
    {
        Type = type;
        Id = id;
    }

    /// <summary><c>message</c>, <c>function_call</c>, <c>custom_tool_call</c> or <c>reasoning</c>.</summary>
    public string Type { get; }

    public string Id { get; }

    /// <summary>The message's text, the call's arguments, or the reasoning text.</summary>
    public StringBuilder Text { get; } = new();

    /// <summary>A message's refusal, when the model refused (a refusal part in place of output text).</summary>
    public string? Refusal { get; set; }

    public string? CallId { get; init; }

    public string? Name { get; init; }

    /// <summary>The namespace a called tool was declared in (a <c>namespace</c> tool of the request), or null.</summary>
    public string? Namespace { get; init; }

    public static OutputItem Message(string id) => new("message", id);

    public static OutputItem FunctionCall(string id, string callId, string name, string? space = null) =>
        new("function_call", id) { CallId = callId, Name = name, Namespace = space };

    /// <summary>
    /// A call of a freeform (<c>custom</c>) tool. A translated model was offered it as a function with one string
    /// parameter <c>input</c>; the client gets the call back as the custom tool call it asked for, its input unwrapped.
    /// </summary>
    public static OutputItem CustomCall(string id, string callId, string name, string? space = null) =>
        new("custom_tool_call", id) { CallId = callId, Name = name, Namespace = space };

    /// <summary>A call of the tool <paramref name="name"/> as the request offered it (<see cref="ResponseEcho.Offered"/>).</summary>
    public static OutputItem Call(ResponseEcho echo, string id, string callId, string name)
    {
        var (freeform, space) = echo.Offered(name);
        return freeform ? CustomCall("ctc_" + id, callId, name, space) : FunctionCall("fc_" + id, callId, name, space);
    }

    public static OutputItem Reasoning(string id) => new("reasoning", id);

    /// <summary>A freeform call's input: the <c>input</c> of the function arguments it was asked for as, or the arguments as they came.</summary>
    public string FreeformInput()
    {
        var arguments = Text.ToString();
        try
        {
            using var document = JsonDocument.Parse(arguments);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("input", out var input)
                && input.ValueKind == JsonValueKind.String ? input.GetString()! : arguments;
        }
        catch (JsonException)
        {
            return arguments;
        }
    }

    /// <summary>The item as OpenAI writes it; <paramref name="done"/> false writes it as just opened (empty, in progress).</summary>
    public void Write(Utf8JsonWriter w, bool done)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, Id);
        w.WriteString("type"u8, Type);
        switch (Type)
        {
            case "message":
                w.WriteString("status"u8, done ? "completed"u8 : "in_progress"u8);
                w.WriteString("role"u8, "assistant"u8);
                w.WriteStartArray("content"u8);
                if (done)
                {
                    WritePart(w);
                }

                w.WriteEndArray();
                break;
            case "function_call":
                w.WriteString("status"u8, done ? "completed"u8 : "in_progress"u8);
                w.WriteString("call_id"u8, CallId);
                WriteName(w);
                w.WriteString("arguments"u8, done ? Text.ToString() : "");
                break;
            case "custom_tool_call":
                w.WriteString("call_id"u8, CallId);
                WriteName(w);
                w.WriteString("input"u8, done ? FreeformInput() : "");
                break;
            default:
                w.WriteStartArray("summary"u8);
                w.WriteEndArray();
                w.WriteStartArray("content"u8);
                if (done)
                {
                    w.WriteStartObject();
                    w.WriteString("type"u8, "reasoning_text"u8);
                    w.WriteString("text"u8, Text.ToString());
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                break;
        }

        w.WriteEndObject();
    }

    private void WriteName(Utf8JsonWriter w)
    {
        if (Namespace is not null)
        {
            w.WriteString("namespace"u8, Namespace);
        }

        w.WriteString("name"u8, Name);
    }

    /// <summary>A message's one content part: its output text (with its annotations, none here), or its refusal.</summary>
    public void WritePart(Utf8JsonWriter w, bool empty = false)
    {
        w.WriteStartObject();
        if (Refusal is not null && !empty)
        {
            w.WriteString("type"u8, "refusal"u8);
            w.WriteString("refusal"u8, Refusal);
        }
        else
        {
            w.WriteString("type"u8, "output_text"u8);
            w.WriteString("text"u8, empty ? "" : Text.ToString());
            w.WriteStartArray("annotations"u8);
            w.WriteEndArray();
            w.WriteStartArray("logprobs"u8);
            w.WriteEndArray();
        }

        w.WriteEndObject();
    }
}

/// <summary>
/// The <c>response</c> object of OpenAI's Responses API, as LLMTR answers it: the outcome (status, output, usage with
/// LLMTR's cost) and, as OpenAI does, the request's settings echoed back (<see cref="ResponseEcho"/>).
/// </summary>
internal static class ResponseObject
{
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The response id for the gateway's response id (<c>chatcmpl-req_…</c> → <c>resp_…</c>): the request id stays findable in it.</summary>
    public static string Suffix(string responseId) =>
        responseId.StartsWith("chatcmpl-req_", StringComparison.Ordinal) ? responseId["chatcmpl-req_".Length..]
        : responseId.StartsWith("req_", StringComparison.Ordinal) ? responseId["req_".Length..]
        : responseId;

    /// <summary>The status and incomplete reason for a chat finish reason.</summary>
    public static (string Status, string? IncompleteReason) Outcome(string? finishReason) => finishReason switch
    {
        "length" => ("incomplete", "max_output_tokens"),
        "content_filter" => ("incomplete", "content_filter"),
        _ => ("completed", null),
    };

    public static void Write(Utf8JsonWriter w, in ResponseState state, ResponseEcho echo)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, "resp_" + state.Suffix);
        w.WriteString("object"u8, "response"u8);
        w.WriteNumber("created_at"u8, state.CreatedAt);
        w.WriteString("status"u8, state.Status);
        if (state.Status == "completed")
        {
            w.WriteNumber("completed_at"u8, state.CompletedAt);
        }
        else
        {
            w.WriteNull("completed_at"u8);
        }

        if (state.Error is { } error)
        {
            w.WriteStartObject("error"u8);
            w.WriteString("code"u8, error.Code);
            w.WriteString("message"u8, error.Message);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("error"u8);
        }

        if (state.IncompleteReason is { } reason)
        {
            w.WriteStartObject("incomplete_details"u8);
            w.WriteString("reason"u8, reason);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("incomplete_details"u8);
        }

        w.WriteString("model"u8, state.Model);
        w.WriteStartArray("output"u8);
        foreach (var item in state.Output)
        {
            item.Write(w, done: true);
        }

        w.WriteEndArray();
        echo.Write(w);

        // Until the answer is complete there is no usage yet: the key is left out rather than null, as OpenAI's schema
        // allows only a usage object there (typed clients validating the events refuse a null).
        if (state.Usage is { } usage)
        {
            WriteUsage(w, usage, state.Cost);
        }

        w.WriteEndObject();
    }

    public static void WriteUsage(Utf8JsonWriter w, UsageCounts usage, UsageCharge? cost)
    {
        w.WriteStartObject("usage"u8);
        w.WriteNumber("input_tokens"u8, usage.PromptTokens);
        w.WriteStartObject("input_tokens_details"u8);
        w.WriteNumber("cached_tokens"u8, usage.CachedPromptTokens);

        // Required by OpenAI's schema. LLMTR does not count cache writes apart (they are in input_tokens, priced as
        // input, as the Messages API's cache_creation_input_tokens of 0 says too).
        w.WriteNumber("cache_write_tokens"u8, 0);
        w.WriteEndObject();
        w.WriteNumber("output_tokens"u8, usage.CompletionTokens);
        w.WriteStartObject("output_tokens_details"u8);
        w.WriteNumber("reasoning_tokens"u8, usage.ReasoningTokens);
        w.WriteEndObject();
        w.WriteNumber("total_tokens"u8, usage.TotalTokens);
        if (cost is not null)
        {
            Protocols.OpenAiUsage.WriteCost(w, cost);
        }

        w.WriteEndObject();
    }
}

/// <summary>What a response object says of its outcome.</summary>
internal readonly record struct ResponseState(
    string Suffix,
    long CreatedAt,
    long CompletedAt,
    string Model,
    string Status,
    string? IncompleteReason,
    (string Code, string Message)? Error,
    IReadOnlyList<OutputItem> Output,
    UsageCounts? Usage,
    UsageCharge? Cost);

/// <summary>
/// The request's settings a response echoes (OpenAI's response object carries them, and SDKs read them back): kept from
/// the client's body as sent, with OpenAI's defaults where it sent none. <c>store</c> is always false: nothing is kept.
/// </summary>
internal sealed class ResponseEcho(JsonElement request)
{
    public static readonly ResponseEcho Empty = new(default);

    public void Write(Utf8JsonWriter w)
    {
        w.WritePropertyName("instructions"u8);
        Value(w, "instructions", null);
        w.WritePropertyName("max_output_tokens"u8);
        Value(w, "max_output_tokens", null);
        w.WriteBoolean("parallel_tool_calls"u8, !TryGet("parallel_tool_calls", out var parallel) || parallel.ValueKind != JsonValueKind.False);
        w.WriteNull("previous_response_id"u8);
        w.WritePropertyName("reasoning"u8);
        if (TryGet("reasoning", out var reasoning) && reasoning.ValueKind == JsonValueKind.Object)
        {
            reasoning.WriteTo(w);
        }
        else
        {
            w.WriteStartObject();
            w.WriteNull("effort"u8);
            w.WriteNull("summary"u8);
            w.WriteEndObject();
        }

        w.WriteBoolean("store"u8, false);
        w.WritePropertyName("temperature"u8);
        Value(w, "temperature", null);
        w.WritePropertyName("text"u8);
        if (TryGet("text", out var text) && text.ValueKind == JsonValueKind.Object)
        {
            text.WriteTo(w);
        }
        else
        {
            w.WriteStartObject();
            w.WriteStartObject("format"u8);
            w.WriteString("type"u8, "text"u8);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WritePropertyName("tool_choice"u8);
        Value(w, "tool_choice", "auto");
        w.WritePropertyName("tools"u8);
        if (TryGet("tools", out var tools) && tools.ValueKind == JsonValueKind.Array)
        {
            tools.WriteTo(w);
        }
        else
        {
            w.WriteStartArray();
            w.WriteEndArray();
        }

        w.WritePropertyName("top_p"u8);
        Value(w, "top_p", null);
        w.WriteString("truncation"u8, "disabled"u8);
        if (TryGet("user", out var user) && user.ValueKind == JsonValueKind.String)
        {
            w.WriteString("user"u8, user.GetString());
        }

        w.WritePropertyName("metadata"u8);
        if (TryGet("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
        {
            metadata.WriteTo(w);
        }
        else
        {
            w.WriteStartObject();
            w.WriteEndObject();
        }
    }

    /// <summary>
    /// How the request offered the tool <paramref name="name"/>: whether it is freeform (<c>custom</c>), and the namespace
    /// it was declared in, if any. A translated model saw every tool as a plain function; its calls go back as offered.
    /// </summary>
    public (bool Freeform, string? Namespace) Offered(string name)
    {
        if (!TryGet("tools", out var tools) || tools.ValueKind != JsonValueKind.Array)
        {
            return (false, null);
        }

        foreach (var tool in tools.EnumerateArray())
        {
            if (tool.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var inNamespace = tool.TryGetProperty("tools", out var nested) && nested.ValueKind == JsonValueKind.Array;
            foreach (var member in inNamespace ? nested.EnumerateArray() : Enumerable.Repeat(tool, 1))
            {
                if (member.ValueKind == JsonValueKind.Object && member.TryGetProperty("name", out var named) && named.ValueKind == JsonValueKind.String && named.ValueEquals(name))
                {
                    var freeform = member.TryGetProperty("type", out var type) && type.ValueEquals("custom"u8);
                    var space = inNamespace && tool.TryGetProperty("name", out var spaceName) && spaceName.ValueKind == JsonValueKind.String ? spaceName.GetString() : null;
                    return (freeform, space);
                }
            }
        }

        return (false, null);
    }

    private bool TryGet(string name, out JsonElement value)
    {
        value = default;
        return request.ValueKind == JsonValueKind.Object && request.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
    }

    private void Value(Utf8JsonWriter w, string name, string? fallback)
    {
        if (TryGet(name, out var value))
        {
            value.WriteTo(w);
        }
        else if (fallback is not null)
        {
            w.WriteStringValue(fallback);
        }
        else
        {
            w.WriteNullValue();
        }
    }
}
