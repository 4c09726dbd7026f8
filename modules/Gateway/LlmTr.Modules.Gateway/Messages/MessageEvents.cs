using System.Buffers;
using System.Text;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.SharedKernel;

namespace LlmTr.Modules.Gateway.Messages;

/// <summary>
/// A streamed answer in the Messages API's event sequence: <c>message_start</c>; per content block
/// <c>content_block_start</c>, its deltas (<c>text_delta</c>, <c>input_json_delta</c>) and <c>content_block_stop</c>;
/// then <c>message_delta</c> with the stop reason and usage, and <c>message_stop</c>. An error becomes Anthropic's
/// <c>error</c> event. Events a native relay passes (<see cref="Raw"/>) go through untouched, and the pipeline's own
/// end is then not written: the provider's stream already closed the message.
/// </summary>
internal sealed class MessageEvents : OneChoiceEvents
{
    private const int NoBlock = -1;
    private readonly ArrayBufferWriter<byte> _json = new(512);
    private readonly Utf8JsonWriter _writer;
    private readonly Dictionary<int, int> _blockOfToolCall = [];
    private bool _native;
    private bool _started;
    private bool _finished;
    private int _openBlock = NoBlock;
    private bool _openIsText;
    private int _nextBlock;

    public MessageEvents(string id, string model, long created)
        : base(id, model, created) =>
        _writer = new Utf8JsonWriter(_json, MessagesJson.WriterOptions);

    public override void Raw(string eventType, ReadOnlySpan<byte> data)
    {
        _native = true;
        base.Raw(eventType, data);
    }

    protected override void OnText(string text) => Text(text);

    /// <summary>The Messages API has no refusal block: a refusal is the assistant's text.</summary>
    protected override void OnRefusal(string text) => Text(text);

    protected override void OnToolCall(int call, string? id, string? name, string arguments) => ToolCall(call, id, name, arguments);

    public override void Done()
    {
        if (!_native && Open())
        {
            Finish();
        }
    }

    /// <summary>The message is started (its <c>message_start</c> written once) and still open to events.</summary>
    protected override bool Open()
    {
        if (_native || _finished)
        {
            return false;
        }

        if (!_started)
        {
            _started = true;
            var w = BeginEvent();
            w.WriteString("type"u8, "message_start"u8);
            w.WriteStartObject("message"u8);
            w.WriteString("id"u8, MessagesJson.MessageId(Id));
            w.WriteString("type"u8, "message"u8);
            w.WriteString("role"u8, "assistant"u8);
            w.WriteString("model"u8, Model);
            w.WriteStartArray("content"u8);
            w.WriteEndArray();
            w.WriteNull("stop_reason"u8);
            w.WriteNull("stop_sequence"u8);

            // Translated providers report usage only at the end: message_delta carries the real counts.
            w.WriteStartObject("usage"u8);
            MessagesJson.WriteCounts(w, UsageCounts.None);
            w.WriteEndObject();
            w.WriteEndObject();
            EndEvent("message_start");
        }

        return true;
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

        var w = BeginEvent();
        w.WriteString("type"u8, "content_block_delta"u8);
        w.WriteNumber("index"u8, _openBlock);
        w.WriteStartObject("delta"u8);
        w.WriteString("type"u8, "text_delta"u8);
        w.WriteString("text"u8, text);
        w.WriteEndObject();
        EndEvent("content_block_delta");
    }

    private void ToolCall(int index, string? id, string? name, string arguments)
    {
        if (!_blockOfToolCall.TryGetValue(index, out var block))
        {
            OpenBlock(isText: false, w =>
            {
                w.WriteString("type"u8, "tool_use"u8);
                w.WriteString("id"u8, id ?? "");
                w.WriteString("name"u8, name ?? "");
                w.WriteStartObject("input"u8);
                w.WriteEndObject();
            });
            block = _openBlock;
            _blockOfToolCall[index] = block;
        }

        if (arguments.Length > 0 && block == _openBlock)
        {
            var w = BeginEvent();
            w.WriteString("type"u8, "content_block_delta"u8);
            w.WriteNumber("index"u8, block);
            w.WriteStartObject("delta"u8);
            w.WriteString("type"u8, "input_json_delta"u8);
            w.WriteString("partial_json"u8, arguments);
            w.WriteEndObject();
            EndEvent("content_block_delta");
        }
    }

    private void OpenBlock(bool isText, Action<Utf8JsonWriter> writeBlock)
    {
        CloseBlock();
        _openBlock = _nextBlock++;
        _openIsText = isText;
        var w = BeginEvent();
        w.WriteString("type"u8, "content_block_start"u8);
        w.WriteNumber("index"u8, _openBlock);
        w.WriteStartObject("content_block"u8);
        writeBlock(w);
        w.WriteEndObject();
        EndEvent("content_block_start");
    }

    private void CloseBlock()
    {
        if (_openBlock == NoBlock)
        {
            return;
        }

        var w = BeginEvent();
        w.WriteString("type"u8, "content_block_stop"u8);
        w.WriteNumber("index"u8, _openBlock);
        EndEvent("content_block_stop");
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
        var w = BeginEvent();
        w.WriteString("type"u8, "message_delta"u8);
        w.WriteStartObject("delta"u8);
        w.WriteString("stop_reason"u8, MessagesJson.StopReason(FinishReason));
        w.WriteNull("stop_sequence"u8);
        w.WriteEndObject();
        w.WriteStartObject("usage"u8);
        MessagesJson.WriteCounts(w, Consumed ?? UsageCounts.None);
        if (Cost is { } cost)
        {
            w.WriteNumber("cost"u8, cost.Cost);
            w.WriteString("cost_currency"u8, cost.Currency);
        }

        w.WriteEndObject();
        EndEvent("message_delta");
        BeginEvent().WriteString("type"u8, "message_stop"u8);
        EndEvent("message_stop");
    }

    /// <summary>The error as Anthropic's <c>error</c> event; the stream ends with it.</summary>
    public override void Error(OpenAiError error)
    {
        _finished = true;
        var w = BeginEvent();
        w.WriteString("type"u8, "error"u8);
        w.WriteStartObject("error"u8);
        w.WriteString("type"u8, AnthropicError.TypeFor(OpenAiErrorTypes.StatusCodeOf(error.Type)));
        w.WriteString("message"u8, error.Message);
        w.WriteEndObject();
        EndEvent("error");
    }

    private Utf8JsonWriter BeginEvent()
    {
        _json.ResetWrittenCount();
        _writer.Reset(_json);
        _writer.WriteStartObject();
        return _writer;
    }

    private void EndEvent(string eventType)
    {
        _writer.WriteEndObject();
        _writer.Flush();
        Frame(eventType, _json.WrittenSpan);
    }

    public override void Dispose()
    {
        _writer.Dispose();
        base.Dispose();
    }
}
