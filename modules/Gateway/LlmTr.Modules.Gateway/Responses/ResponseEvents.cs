using System.Buffers;
using System.Text;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.SharedKernel;

namespace LlmTr.Modules.Gateway.Responses;

/// <summary>
/// Rewrites one streamed answer, as the chat pipeline frames it (OpenAI chunks, then the usage chunk and
/// <c>[DONE]</c>), into the Responses API's event sequence, each event with its <c>sequence_number</c>:
/// <c>response.created</c> and <c>response.in_progress</c>; for reasoning text a <c>reasoning</c> item
/// (<c>response.reasoning_text.delta</c>…, <c>.done</c>); for text a <c>message</c> item
/// (<c>response.output_item.added</c>, <c>response.content_part.added</c>, <c>response.output_text.delta</c>…,
/// <c>response.output_text.done</c>, <c>response.content_part.done</c>, <c>response.output_item.done</c>); for each tool
/// call a <c>function_call</c> item (added, <c>response.function_call_arguments.delta</c>…, <c>.done</c>, item done);
/// then <c>response.completed</c> (or <c>response.incomplete</c>) with the whole response and its usage. The stream has
/// no <c>[DONE]</c>: the final event ends it. An error event becomes OpenAI's <c>error</c> event and
/// <c>response.failed</c>. An item is closed when the next one opens; tool calls arrive one after another from every
/// translator, and arguments a provider still sent for a closed call go into the final response without an event.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The JSON writer holds no unmanaged resource and is flushed after every event; disposing it would only flush again.")]
internal sealed class ResponseEvents
{
    private readonly ArrayBufferWriter<byte> _output = new(1024);
    private readonly ArrayBufferWriter<byte> _json = new(512);
    private readonly Utf8JsonWriter _writer;
    private readonly List<OutputItem> _items = [];
    private readonly Dictionary<int, OutputItem> _itemOfToolCall = [];
    private readonly ResponseEcho _echo;
    private readonly string _suffix;
    private readonly TimeProvider _time;
    private string _model;
    private long _createdAt;
    private int _sequence;
    private bool _started;
    private bool _finished;
    private OutputItem? _open;
    private string? _finishReason;
    private UsageCounts? _usage;
    private UsageCharge? _cost;

    /// <param name="requestId">The gateway's request id: the response's id is made of it.</param>
    /// <param name="model">The model the client named, until the first chunk names the canonical one.</param>
    public ResponseEvents(string requestId, string model, ResponseEcho echo, TimeProvider time)
    {
        _writer = new Utf8JsonWriter(_json, ResponseObject.WriterOptions);
        _suffix = ResponseObject.Suffix(requestId);
        _model = model;
        _echo = echo;
        _time = time;
    }

    public ReadOnlyMemory<byte> Rewrite(ReadOnlyMemory<byte> framed)
    {
        _output.ResetWrittenCount();
        foreach (var frame in new SseFrames(framed))
        {
            if (SseFrames.TryData(frame, out var data))
            {
                OnData(data);
            }
        }

        return _output.WrittenMemory;
    }

    private void OnData(ReadOnlyMemory<byte> data)
    {
        if (_finished)
        {
            return;
        }

        if (data.Span.SequenceEqual("[DONE]"u8))
        {
            Start(default);
            Finish();
            return;
        }

        using var document = JsonDocument.Parse(data);
        var chunk = document.RootElement;
        Start(chunk);
        if (chunk.TryGetProperty("error", out var error))
        {
            Fail(error);
            return;
        }

        if (chunk.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            _usage = OpenAiUsage.Read(usage);
            if (usage.TryGetProperty("cost", out var cost) && cost.TryGetDecimal(out var amount))
            {
                _cost = new UsageCharge(amount, usage.TryGetProperty("cost_currency", out var currency) ? currency.GetString() ?? "" : "");
            }
        }

        if (!chunk.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
        {
            return;
        }

        var choice = choices[0];
        if (choice.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object)
        {
            if (Reasoning(delta) is { Length: > 0 } thought)
            {
                ReasoningText(thought);
            }

            if (delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String && content.GetString() is { Length: > 0 } text)
            {
                Text(text);
            }

            if (delta.TryGetProperty("refusal", out var refusal) && refusal.ValueKind == JsonValueKind.String && refusal.GetString() is { Length: > 0 } refused)
            {
                // A refusal is shown whole in the finished message (as a refusal part) rather than as text deltas.
                var message = OpenMessage();
                message.Refusal += refused;
            }

            if (delta.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in calls.EnumerateArray())
                {
                    ToolCall(call);
                }
            }
        }

        if (choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String)
        {
            _finishReason = finish.GetString();
        }
    }

    private void Start(JsonElement chunk)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        if (chunk.ValueKind == JsonValueKind.Object && chunk.TryGetProperty("model", out var model) && model.GetString() is { Length: > 0 } canonical)
        {
            _model = canonical;
        }

        _createdAt = chunk.ValueKind == JsonValueKind.Object && chunk.TryGetProperty("created", out var created) && created.TryGetInt64(out var at)
            ? at
            : _time.GetUtcNow().ToUnixTimeSeconds();
        foreach (var type in (ReadOnlySpan<string>)["response.created", "response.in_progress"])
        {
            var w = Begin(type);
            w.WritePropertyName("response"u8);
            WriteResponse(w, "in_progress", null, null);
            End();
        }
    }

    private void Text(string text)
    {
        var message = OpenMessage();
        message.Text.Append(text);
        var w = Begin("response.output_text.delta");
        WriteItemRef(w, message);
        w.WriteNumber("content_index"u8, 0);
        w.WriteString("delta"u8, text);
        w.WriteStartArray("logprobs"u8);
        w.WriteEndArray();
        End();
    }

    /// <summary>Reasoning text in a chunk: OpenAI-compatible reasoning models send it as <c>reasoning_content</c> or <c>reasoning</c>.</summary>
    private static string? Reasoning(JsonElement delta) =>
        delta.TryGetProperty("reasoning_content", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()
        : delta.TryGetProperty("reasoning", out r) && r.ValueKind == JsonValueKind.String ? r.GetString()
        : null;

    private void ReasoningText(string text)
    {
        if (_open is not { Type: "reasoning" } reasoning)
        {
            reasoning = OutputItem.Reasoning(_items.Count == 0 ? "rs_" + _suffix : $"rs_{_suffix}_{_items.Count}");
            Open(reasoning);
        }

        reasoning.Text.Append(text);
        var w = Begin("response.reasoning_text.delta");
        WriteItemRef(w, reasoning);
        w.WriteNumber("content_index"u8, 0);
        w.WriteString("delta"u8, text);
        End();
    }

    private OutputItem OpenMessage()
    {
        if (_open is { Type: "message" } open)
        {
            return open;
        }

        var message = OutputItem.Message(_items.Count == 0 ? "msg_" + _suffix : $"msg_{_suffix}_{_items.Count}");
        Open(message);
        var w = Begin("response.content_part.added");
        WriteItemRef(w, message);
        w.WriteNumber("content_index"u8, 0);
        w.WritePropertyName("part"u8);
        message.WritePart(w, empty: true);
        End();
        return message;
    }

    private void ToolCall(JsonElement call)
    {
        var index = call.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : 0;
        var function = call.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
        if (!_itemOfToolCall.TryGetValue(index, out var item))
        {
            var id = call.TryGetProperty("id", out var callId) ? callId.GetString() ?? "" : "";
            var name = function.ValueKind == JsonValueKind.Object && function.TryGetProperty("name", out var nm) ? nm.GetString() ?? "" : "";
            item = OutputItem.Call(_echo, $"{_suffix}_{_items.Count}", id, name);
            _itemOfToolCall[index] = item;
            Open(item);
        }

        if (function.ValueKind == JsonValueKind.Object && function.TryGetProperty("arguments", out var arguments)
            && arguments.ValueKind == JsonValueKind.String && arguments.GetString() is { Length: > 0 } json)
        {
            item.Text.Append(json);

            // A freeform call's input is inside the JSON arguments it was asked for as: it is sent whole when the call ends.
            if (item == _open && item.Type == "function_call")
            {
                var w = Begin("response.function_call_arguments.delta");
                WriteItemRef(w, item);
                w.WriteString("delta"u8, json);
                End();
            }
        }
    }

    private void Open(OutputItem item)
    {
        Close();
        _items.Add(item);
        _open = item;
        var w = Begin("response.output_item.added");
        w.WriteNumber("output_index"u8, _items.Count - 1);
        w.WritePropertyName("item"u8);
        item.Write(w, done: false);
        End();
    }

    /// <summary>Closes the open item with its done events.</summary>
    private void Close()
    {
        if (_open is not { } item)
        {
            return;
        }

        _open = null;
        if (item.Type == "message")
        {
            if (item.Refusal is null)
            {
                var w = Begin("response.output_text.done");
                WriteItemRef(w, item);
                w.WriteNumber("content_index"u8, 0);
                w.WriteString("text"u8, item.Text.ToString());
                w.WriteStartArray("logprobs"u8);
                w.WriteEndArray();
                End();
            }

            var part = Begin("response.content_part.done");
            WriteItemRef(part, item);
            part.WriteNumber("content_index"u8, 0);
            part.WritePropertyName("part"u8);
            item.WritePart(part);
            End();
        }
        else if (item.Type == "reasoning")
        {
            var w = Begin("response.reasoning_text.done");
            WriteItemRef(w, item);
            w.WriteNumber("content_index"u8, 0);
            w.WriteString("text"u8, item.Text.ToString());
            End();
        }
        else if (item.Type == "custom_tool_call")
        {
            var input = item.FreeformInput();
            var delta = Begin("response.custom_tool_call_input.delta");
            WriteItemRef(delta, item);
            delta.WriteString("delta"u8, input);
            End();
            var w = Begin("response.custom_tool_call_input.done");
            WriteItemRef(w, item);
            w.WriteString("input"u8, input);
            End();
        }
        else
        {
            var w = Begin("response.function_call_arguments.done");
            WriteItemRef(w, item);
            w.WriteString("name"u8, item.Name);
            w.WriteString("arguments"u8, item.Text.ToString());
            End();
        }

        var done = Begin("response.output_item.done");
        done.WriteNumber("output_index"u8, _items.IndexOf(item));
        done.WritePropertyName("item"u8);
        item.Write(done, done: true);
        End();
    }

    private void Finish()
    {
        _finished = true;
        Close();
        var (status, reason) = ResponseObject.Outcome(_finishReason);
        var w = Begin(status == "completed" ? "response.completed" : "response.incomplete");
        w.WritePropertyName("response"u8);
        WriteResponse(w, status, reason, null);
        End();
    }

    /// <summary>
    /// OpenAI's error object (in the pipeline's error event) as the Responses API's <c>error</c> event, then
    /// <c>response.failed</c> carrying the response so far; the stream ends with it.
    /// </summary>
    private void Fail(JsonElement error)
    {
        _finished = true;
        var type = error.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
        var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        var message = error.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
        var w = Begin("error");
        w.WriteString("code"u8, code);
        w.WriteString("message"u8, message);
        w.WriteNull("param"u8);
        End();

        // The response's error code is one of OpenAI's documented few; LLMTR's own code is in the error event above.
        var failed = Begin("response.failed");
        failed.WritePropertyName("response"u8);
        WriteResponse(failed, "failed", null, (OpenAiErrorTypes.StatusCodeOf(type) == 429 ? "rate_limit_exceeded" : "server_error", message));
        End();
    }

    private void WriteResponse(Utf8JsonWriter w, string status, string? reason, (string Code, string Message)? error)
    {
        var final = status != "in_progress";
        ResponseObject.Write(w, new ResponseState(_suffix, _createdAt, _time.GetUtcNow().ToUnixTimeSeconds(), _model, status, reason, error,
            final ? _items : [], final ? _usage ?? UsageCounts.None : null, final ? _cost : null), _echo);
    }

    private void WriteItemRef(Utf8JsonWriter w, OutputItem item)
    {
        w.WriteString("item_id"u8, item.Id);
        w.WriteNumber("output_index"u8, _items.IndexOf(item));
    }

    private Utf8JsonWriter Begin(string type)
    {
        _json.ResetWrittenCount();
        _writer.Reset(_json);
        _writer.WriteStartObject();
        _writer.WriteString("type"u8, type);
        _output.Write("event: "u8);
        _output.Write(Encoding.UTF8.GetBytes(type));
        _output.Write("\ndata: "u8);
        return _writer;
    }

    private void End()
    {
        _writer.WriteNumber("sequence_number"u8, _sequence++);
        _writer.WriteEndObject();
        _writer.Flush();
        _output.Write(_json.WrittenSpan);
        _output.Write("\n\n"u8);
    }
}
