using System.Buffers;
using System.Text;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.SharedKernel;

namespace LlmTr.Modules.Gateway.Responses;

/// <summary>
/// A streamed answer in the Responses API's event sequence, each event with its <c>sequence_number</c>:
/// <c>response.created</c> and <c>response.in_progress</c>; for reasoning text a <c>reasoning</c> item
/// (<c>response.reasoning_text.delta</c>…, <c>.done</c>); for text a <c>message</c> item
/// (<c>response.output_item.added</c>, <c>response.content_part.added</c>, <c>response.output_text.delta</c>…,
/// <c>response.output_text.done</c>, <c>response.content_part.done</c>, <c>response.output_item.done</c>); for each tool
/// call a <c>function_call</c> item (added, <c>response.function_call_arguments.delta</c>…, <c>.done</c>, item done);
/// then <c>response.completed</c> (or <c>response.incomplete</c>) with the whole response and its usage. The stream has
/// no <c>[DONE]</c>: the final event ends it. An error becomes OpenAI's <c>error</c> event and <c>response.failed</c>.
/// An item is closed when the next one opens; tool calls arrive one after another from every translator, and arguments
/// a provider still sent for a closed call go into the final response without an event.
/// </summary>
internal sealed class ResponseEvents : OneChoiceEvents
{
    private readonly ArrayBufferWriter<byte> _json = new(512);
    private readonly Utf8JsonWriter _writer;
    private readonly List<OutputItem> _items = [];
    private readonly Dictionary<int, OutputItem> _itemOfToolCall = [];
    private readonly ResponseEcho _echo;
    private readonly string _suffix;
    private readonly TimeProvider _time;
    private int _sequence;
    private string _type = "";
    private bool _started;
    private bool _finished;
    private OutputItem? _open;

    /// <param name="requestId">The gateway's request id: the response's id is made of it.</param>
    public ResponseEvents(string id, string model, long created, string requestId, ResponseEcho echo, TimeProvider time)
        : base(id, model, created)
    {
        _writer = new Utf8JsonWriter(_json, ResponseObject.WriterOptions);
        _suffix = ResponseObject.Suffix(requestId);
        _echo = echo;
        _time = time;
    }

    protected override void OnText(string text) => Text(text);

    protected override void OnReasoning(string text) => ReasoningText(text);

    /// <summary>A refusal is shown whole in the finished message (as a refusal part) rather than as text deltas.</summary>
    protected override void OnRefusal(string text) => OpenMessage().Refusal += text;

    protected override void OnToolCall(int call, string? id, string? name, string arguments) => ToolCall(call, id, name, arguments);

    public override void Done()
    {
        if (Open())
        {
            Finish();
        }
    }

    /// <summary>
    /// The error as the Responses API's <c>error</c> event, then <c>response.failed</c> carrying the response so far;
    /// the stream ends with it.
    /// </summary>
    public override void Error(OpenAiError error)
    {
        if (_finished)
        {
            return;
        }

        Open();
        _finished = true;
        var w = BeginEvent("error");
        w.WriteString("code"u8, error.Code);
        w.WriteString("message"u8, error.Message);
        w.WriteNull("param"u8);
        EndEvent();

        // The response's error code is one of OpenAI's documented few; LLMTR's own code is in the error event above.
        var failed = BeginEvent("response.failed");
        failed.WritePropertyName("response"u8);
        WriteResponse(failed, "failed", null, (OpenAiErrorTypes.StatusCodeOf(error.Type) == 429 ? "rate_limit_exceeded" : "server_error", error.Message));
        EndEvent();
    }

    /// <summary>The response is started (<c>response.created</c> and <c>response.in_progress</c> written once) and still open to events.</summary>
    protected override bool Open()
    {
        if (_finished)
        {
            return false;
        }

        if (!_started)
        {
            _started = true;
            foreach (var type in (ReadOnlySpan<string>)["response.created", "response.in_progress"])
            {
                var w = BeginEvent(type);
                w.WritePropertyName("response"u8);
                WriteResponse(w, "in_progress", null, null);
                EndEvent();
            }
        }

        return true;
    }

    private void Text(string text)
    {
        var message = OpenMessage();
        message.Text.Append(text);
        var w = BeginEvent("response.output_text.delta");
        WriteItemRef(w, message);
        w.WriteNumber("content_index"u8, 0);
        w.WriteString("delta"u8, text);
        w.WriteStartArray("logprobs"u8);
        w.WriteEndArray();
        EndEvent();
    }

    private void ReasoningText(string text)
    {
        if (_open is not { Type: "reasoning" } reasoning)
        {
            reasoning = OutputItem.Reasoning(_items.Count == 0 ? "rs_" + _suffix : $"rs_{_suffix}_{_items.Count}");
            Open(reasoning);
        }

        reasoning.Text.Append(text);
        var w = BeginEvent("response.reasoning_text.delta");
        WriteItemRef(w, reasoning);
        w.WriteNumber("content_index"u8, 0);
        w.WriteString("delta"u8, text);
        EndEvent();
    }

    private OutputItem OpenMessage()
    {
        if (_open is { Type: "message" } open)
        {
            return open;
        }

        var message = OutputItem.Message(_items.Count == 0 ? "msg_" + _suffix : $"msg_{_suffix}_{_items.Count}");
        Open(message);
        var w = BeginEvent("response.content_part.added");
        WriteItemRef(w, message);
        w.WriteNumber("content_index"u8, 0);
        w.WritePropertyName("part"u8);
        message.WritePart(w, empty: true);
        EndEvent();
        return message;
    }

    private void ToolCall(int index, string? id, string? name, string arguments)
    {
        if (!_itemOfToolCall.TryGetValue(index, out var item))
        {
            item = OutputItem.Call(_echo, $"{_suffix}_{_items.Count}", id ?? "", name ?? "");
            _itemOfToolCall[index] = item;
            Open(item);
        }

        if (arguments.Length > 0)
        {
            item.Text.Append(arguments);

            // A freeform call's input is inside the JSON arguments it was asked for as: it is sent whole when the call ends.
            if (item == _open && item.Type == "function_call")
            {
                var w = BeginEvent("response.function_call_arguments.delta");
                WriteItemRef(w, item);
                w.WriteString("delta"u8, arguments);
                EndEvent();
            }
        }
    }

    private void Open(OutputItem item)
    {
        Close();
        _items.Add(item);
        _open = item;
        var w = BeginEvent("response.output_item.added");
        w.WriteNumber("output_index"u8, _items.Count - 1);
        w.WritePropertyName("item"u8);
        item.Write(w, done: false);
        EndEvent();
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
                var w = BeginEvent("response.output_text.done");
                WriteItemRef(w, item);
                w.WriteNumber("content_index"u8, 0);
                w.WriteString("text"u8, item.Text.ToString());
                w.WriteStartArray("logprobs"u8);
                w.WriteEndArray();
                EndEvent();
            }

            var part = BeginEvent("response.content_part.done");
            WriteItemRef(part, item);
            part.WriteNumber("content_index"u8, 0);
            part.WritePropertyName("part"u8);
            item.WritePart(part);
            EndEvent();
        }
        else if (item.Type == "reasoning")
        {
            var w = BeginEvent("response.reasoning_text.done");
            WriteItemRef(w, item);
            w.WriteNumber("content_index"u8, 0);
            w.WriteString("text"u8, item.Text.ToString());
            EndEvent();
        }
        else if (item.Type == "custom_tool_call")
        {
            var input = item.FreeformInput();
            var delta = BeginEvent("response.custom_tool_call_input.delta");
            WriteItemRef(delta, item);
            delta.WriteString("delta"u8, input);
            EndEvent();
            var w = BeginEvent("response.custom_tool_call_input.done");
            WriteItemRef(w, item);
            w.WriteString("input"u8, input);
            EndEvent();
        }
        else
        {
            var w = BeginEvent("response.function_call_arguments.done");
            WriteItemRef(w, item);
            w.WriteString("name"u8, item.Name);
            w.WriteString("arguments"u8, item.Text.ToString());
            EndEvent();
        }

        var done = BeginEvent("response.output_item.done");
        done.WriteNumber("output_index"u8, _items.IndexOf(item));
        done.WritePropertyName("item"u8);
        item.Write(done, done: true);
        EndEvent();
    }

    private void Finish()
    {
        _finished = true;
        Close();
        var (status, reason) = ResponseObject.Outcome(FinishReason);
        var w = BeginEvent(status == "completed" ? "response.completed" : "response.incomplete");
        w.WritePropertyName("response"u8);
        WriteResponse(w, status, reason, null);
        EndEvent();
    }

    private void WriteResponse(Utf8JsonWriter w, string status, string? reason, (string Code, string Message)? error)
    {
        var final = status != "in_progress";
        ResponseObject.Write(w, new ResponseState(_suffix, Created, _time.GetUtcNow().ToUnixTimeSeconds(), Model, status, reason, error,
            final ? _items : [], final ? Consumed ?? UsageCounts.None : null, final ? Cost : null), _echo);
    }

    private void WriteItemRef(Utf8JsonWriter w, OutputItem item)
    {
        w.WriteString("item_id"u8, item.Id);
        w.WriteNumber("output_index"u8, _items.IndexOf(item));
    }

    private Utf8JsonWriter BeginEvent(string type)
    {
        _type = type;
        _json.ResetWrittenCount();
        _writer.Reset(_json);
        _writer.WriteStartObject();
        _writer.WriteString("type"u8, type);
        return _writer;
    }

    private void EndEvent()
    {
        _writer.WriteNumber("sequence_number"u8, _sequence++);
        _writer.WriteEndObject();
        _writer.Flush();
        Frame(_type, _json.WrittenSpan);
    }

    public override void Dispose()
    {
        _writer.Dispose();
        base.Dispose();
    }
}
