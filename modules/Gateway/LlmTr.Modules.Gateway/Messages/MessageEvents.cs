using System.Buffers;
using System.Text;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.SharedKernel;

namespace LlmTr.Modules.Gateway.Messages;

/// <summary>
/// Rewrites one streamed answer, as the chat pipeline frames it (OpenAI chunks, then the usage chunk and
/// <c>[DONE]</c>), into the Messages API's event sequence: <c>message_start</c>; per content block
/// <c>content_block_start</c>, its deltas (<c>text_delta</c>, <c>input_json_delta</c>) and <c>content_block_stop</c>;
/// then <c>message_delta</c> with the stop reason and usage, and <c>message_stop</c>. An error event becomes Anthropic's
/// <c>error</c> event. Events a native relay framed itself (they carry an <c>event:</c> line) pass through untouched, and
/// the pipeline's own closing chunks are then dropped: the provider's stream already closed the message.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The JSON writer holds no unmanaged resource and is flushed after every event; disposing it would only flush again.")]
internal sealed class MessageEvents
{
    private const int NoBlock = -1;
    private readonly ArrayBufferWriter<byte> _output = new(1024);
    private readonly ArrayBufferWriter<byte> _json = new(512);
    private readonly Utf8JsonWriter _writer;
    private readonly Dictionary<int, int> _blockOfToolCall = [];
    private bool _native;
    private bool _started;
    private bool _finished;
    private int _openBlock = NoBlock;
    private bool _openIsText;
    private int _nextBlock;
    private string? _finishReason;
    private UsageCounts _usage = UsageCounts.None;
    private (decimal Cost, string Currency)? _cost;

    public MessageEvents() => _writer = new Utf8JsonWriter(_json, MessagesJson.WriterOptions);

    public ReadOnlyMemory<byte> Rewrite(ReadOnlyMemory<byte> framed)
    {
        _output.ResetWrittenCount();
        foreach (var frame in new SseFrames(framed))
        {
            if (frame.Span.StartsWith("event:"u8))
            {
                _native = true;
                _output.Write(frame.Span);
                _output.Write("\n\n"u8);
            }
            else if (SseFrames.TryData(frame, out var data))
            {
                OnData(data);
            }
        }

        return _output.WrittenMemory;
    }

    private void OnData(ReadOnlyMemory<byte> data)
    {
        if (data.Span.SequenceEqual("[DONE]"u8))
        {
            if (!_native)
            {
                Finish();
            }

            return;
        }

        using var document = JsonDocument.Parse(data);
        var chunk = document.RootElement;
        if (chunk.TryGetProperty("error", out var error))
        {
            Error(error);
            return;
        }

        if (_native || _finished)
        {
            return;
        }

        Start(chunk);
        if (chunk.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            _usage = OpenAiUsage.Read(usage);
            if (usage.TryGetProperty("cost", out var cost) && cost.TryGetDecimal(out var amount))
            {
                _cost = (amount, usage.TryGetProperty("cost_currency", out var currency) ? currency.GetString() ?? "" : "");
            }
        }

        if (!chunk.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
        {
            return;
        }

        var choice = choices[0];
        if (choice.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object)
        {
            if (delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String && content.GetString() is { Length: > 0 } text)
            {
                Text(text);
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
        var id = MessagesJson.MessageId(chunk.TryGetProperty("id", out var i) ? i.GetString() ?? "" : "");
        var model = chunk.TryGetProperty("model", out var m) ? m.GetString() ?? "" : "";
        var w = Begin();
        w.WriteString("type"u8, "message_start"u8);
        w.WriteStartObject("message"u8);
        w.WriteString("id"u8, id);
        w.WriteString("type"u8, "message"u8);
        w.WriteString("role"u8, "assistant"u8);
        w.WriteString("model"u8, model);
        w.WriteStartArray("content"u8);
        w.WriteEndArray();
        w.WriteNull("stop_reason"u8);
        w.WriteNull("stop_sequence"u8);

        // Translated providers report usage only at the end: message_delta carries the real counts.
        w.WriteStartObject("usage"u8);
        MessagesJson.WriteCounts(w, UsageCounts.None);
        w.WriteEndObject();
        w.WriteEndObject();
        End("message_start");
    }

    private void Text(string text)
    {
        if (_openBlock == NoBlock || !_openIsText)
        {
            OpenBlock(isText: true, w =>
            {
                w.WriteString("type"u8, "text"u8);
                w.WriteString("text"u8, ""u8);
            });
        }

        var w = Begin();
        w.WriteString("type"u8, "content_block_delta"u8);
        w.WriteNumber("index"u8, _openBlock);
        w.WriteStartObject("delta"u8);
        w.WriteString("type"u8, "text_delta"u8);
        w.WriteString("text"u8, text);
        w.WriteEndObject();
        End("content_block_delta");
    }

    private void ToolCall(JsonElement call)
    {
        var index = call.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : 0;
        var function = call.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
        if (!_blockOfToolCall.TryGetValue(index, out var block))
        {
            var id = call.TryGetProperty("id", out var callId) ? callId.GetString() ?? "" : "";
            var name = function.ValueKind == JsonValueKind.Object && function.TryGetProperty("name", out var nm) ? nm.GetString() ?? "" : "";
            OpenBlock(isText: false, w =>
            {
                w.WriteString("type"u8, "tool_use"u8);
                w.WriteString("id"u8, id);
                w.WriteString("name"u8, name);
                w.WriteStartObject("input"u8);
                w.WriteEndObject();
            });
            block = _openBlock;
            _blockOfToolCall[index] = block;
        }

        if (function.ValueKind == JsonValueKind.Object && function.TryGetProperty("arguments", out var arguments)
            && arguments.GetString() is { Length: > 0 } json && block == _openBlock)
        {
            var w = Begin();
            w.WriteString("type"u8, "content_block_delta"u8);
            w.WriteNumber("index"u8, block);
            w.WriteStartObject("delta"u8);
            w.WriteString("type"u8, "input_json_delta"u8);
            w.WriteString("partial_json"u8, json);
            w.WriteEndObject();
            End("content_block_delta");
        }
    }

    private void OpenBlock(bool isText, Action<Utf8JsonWriter> writeBlock)
    {
        CloseBlock();
        _openBlock = _nextBlock++;
        _openIsText = isText;
        var w = Begin();
        w.WriteString("type"u8, "content_block_start"u8);
        w.WriteNumber("index"u8, _openBlock);
        w.WriteStartObject("content_block"u8);
        writeBlock(w);
        w.WriteEndObject();
        End("content_block_start");
    }

    private void CloseBlock()
    {
        if (_openBlock == NoBlock)
        {
            return;
        }

        var w = Begin();
        w.WriteString("type"u8, "content_block_stop"u8);
        w.WriteNumber("index"u8, _openBlock);
        End("content_block_stop");
        _openBlock = NoBlock;
    }

    private void Finish()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        CloseBlock();
        var w = Begin();
        w.WriteString("type"u8, "message_delta"u8);
        w.WriteStartObject("delta"u8);
        w.WriteString("stop_reason"u8, MessagesJson.StopReason(_finishReason));
        w.WriteNull("stop_sequence"u8);
        w.WriteEndObject();
        w.WriteStartObject("usage"u8);
        MessagesJson.WriteCounts(w, _usage);
        if (_cost is { } cost)
        {
            w.WriteNumber("cost"u8, cost.Cost);
            w.WriteString("cost_currency"u8, cost.Currency);
        }

        w.WriteEndObject();
        End("message_delta");
        Begin().WriteString("type"u8, "message_stop"u8);
        End("message_stop");
    }

    /// <summary>OpenAI's error object (in the pipeline's error event) as Anthropic's <c>error</c> event; the stream ends with it.</summary>
    private void Error(JsonElement error)
    {
        _finished = true;
        var type = error.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
        var w = Begin();
        w.WriteString("type"u8, "error"u8);
        w.WriteStartObject("error"u8);
        w.WriteString("type"u8, AnthropicError.TypeFor(OpenAiErrorTypes.StatusCodeOf(type)));
        w.WriteString("message"u8, error.TryGetProperty("message", out var message) ? message.GetString() : "");
        w.WriteEndObject();
        End("error");
    }

    private Utf8JsonWriter Begin()
    {
        _json.ResetWrittenCount();
        _writer.Reset(_json);
        _writer.WriteStartObject();
        return _writer;
    }

    private void End(string eventType)
    {
        _writer.WriteEndObject();
        _writer.Flush();
        _output.Write("event: "u8);
        _output.Write(Encoding.UTF8.GetBytes(eventType));
        _output.Write("\ndata: "u8);
        _output.Write(_json.WrittenSpan);
        _output.Write("\n\n"u8);
    }
}
