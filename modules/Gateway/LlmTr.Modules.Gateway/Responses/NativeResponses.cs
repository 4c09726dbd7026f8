using System.Buffers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.Modules.Gateway.Protocols.OpenAi;
using LlmTr.SharedKernel;

namespace LlmTr.Modules.Gateway.Responses;

/// <summary>
/// A Responses API request relayed natively to a provider that serves the Responses API itself (the catalog's
/// <see cref="CatalogProvider.SpeaksResponsesApi"/>): the client's body goes up to <c>{base}/responses</c> with only the
/// model name replaced (built-in tools, reasoning items, <c>include</c>, prompt cache keys and the rest included), and
/// the answer comes back as the provider sent it, with LLMTR's response id, model id and cost. Usage is read on the way
/// through for billing, counted as chat completions count it.
/// </summary>
internal sealed class NativeResponses(ResponsesFormat format) : ChatProtocol
{
    public override ApiProtocol Protocol => ApiProtocol.OpenAi;

    public override HttpRequestMessage CreateRequest(ChatCall call) => OpenAiProtocol.Post(call, "responses", format.UpstreamBody(call.Model.UpstreamName));

    public override ChatCompletion ReadCompletion(JsonElement body, ChatCall call)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("output", out var output) || output.ValueKind != JsonValueKind.Array)
        {
            throw new UpstreamProtocolException("The provider's answer has no 'output'.");
        }

        return new NativeResponse(body.Clone(), body.TryGetProperty("usage", out var usage) ? ResponsesUsage.Read(usage, output) : UsageCounts.None);
    }

    public override ChatStreamTranslator CreateStreamTranslator(ChatCall call) => format.StartNativeStream(call.Model.Id, call.ResponseId);
}

/// <summary>
/// The Responses API's <c>usage</c> in LLMTR's counts: the same fields chat completions' usage fills, and the tools the
/// provider ran for the response, counted from its output items: each <c>web_search_call</c> is a web search, each
/// <c>file_search_call</c> or <c>code_interpreter_call</c> a tool call, which OpenAI bills per call.
/// </summary>
internal static class ResponsesUsage
{
    public static UsageCounts Read(JsonElement usage, JsonElement output = default)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return UsageCounts.None;
        }

        usage.TryGetProperty("input_tokens_details", out var input);
        usage.TryGetProperty("output_tokens_details", out var produced);
        int searches = 0, tools = 0;
        if (output.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in output.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
                {
                    if (type.ValueEquals("web_search_call"u8))
                    {
                        searches++;
                    }
                    else if (type.ValueEquals("file_search_call"u8) || type.ValueEquals("code_interpreter_call"u8))
                    {
                        tools++;
                    }
                }
            }
        }

        return new UsageCounts(
            OpenAiUsage.Long(usage, "input_tokens"),
            OpenAiUsage.Long(usage, "output_tokens"),
            OpenAiUsage.Long(input, "cached_tokens"),
            OpenAiUsage.Long(produced, "reasoning_tokens"))
        {
            WebSearches = searches,
            ToolCalls = tools,
        };
    }

    /// <summary>
    /// A provider's <c>response</c> object as LLMTR answers it: LLMTR's response id and model id in place of the
    /// provider's, the usage the provider sent with LLMTR's cost added (as the translated answer carries it), the rest as
    /// sent. A <paramref name="failure"/> turns it into a failed response holding the <paramref name="output"/> so far.
    /// </summary>
    public static void WriteResponse(
        Utf8JsonWriter w, JsonElement response, string suffix, string model, UsageCharge? cost,
        (string Code, string Message)? failure = null, IReadOnlyList<JsonElement>? output = null)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, "resp_" + suffix);
        w.WriteString("model"u8, model);
        foreach (var property in response.EnumerateObject())
        {
            if (property.NameEquals("id"u8) || property.NameEquals("model"u8))
            {
                continue;
            }

            if (failure is not null && property.NameEquals("status"u8))
            {
                w.WriteString("status"u8, "failed"u8);
            }
            else if (failure is { } error && property.NameEquals("error"u8))
            {
                w.WriteStartObject("error"u8);
                w.WriteString("code"u8, error.Code);
                w.WriteString("message"u8, error.Message);
                w.WriteEndObject();
            }
            else if (failure is not null && output is not null && property.NameEquals("output"u8))
            {
                w.WriteStartArray("output"u8);
                foreach (var item in output)
                {
                    item.WriteTo(w);
                }

                w.WriteEndArray();
            }
            else if (cost is not null && property.NameEquals("usage"u8) && property.Value.ValueKind == JsonValueKind.Object)
            {
                w.WriteStartObject("usage"u8);
                foreach (var count in property.Value.EnumerateObject())
                {
                    if (!(count.NameEquals("cost"u8) || count.NameEquals("cost_currency"u8)))
                    {
                        count.WriteTo(w);
                    }
                }

                OpenAiUsage.WriteCost(w, cost);
                w.WriteEndObject();
            }
            else
            {
                property.WriteTo(w);
            }
        }

        w.WriteEndObject();
    }
}

/// <summary>A provider's own <c>response</c> object, written back with LLMTR's id, model and cost.</summary>
internal sealed class NativeResponse(JsonElement body, UsageCounts usage) : ChatCompletion
{
    public override UsageCounts Usage => usage;

    public void WriteResponse(IBufferWriter<byte> output, ResponseStamp stamp)
    {
        using var writer = new Utf8JsonWriter(output, ResponseObject.WriterOptions);
        ResponsesUsage.WriteResponse(writer, body, ResponseObject.Suffix(stamp.Id), stamp.Model, stamp.Charge);
    }

    /// <summary>
    /// OpenAI's chat shape, should anything ask for it (the Responses API client never does): the output text, the
    /// function calls as tool calls, and the finish reason the status stands for.
    /// </summary>
    public override void WriteTo(Utf8JsonWriter writer, ResponseStamp stamp)
    {
        var text = new StringBuilder();
        var calls = new List<JsonElement>();
        foreach (var item in body.GetProperty("output").EnumerateArray())
        {
            var type = item.TryGetProperty("type", out var t) ? t.GetString() : null;
            if (type == "function_call")
            {
                calls.Add(item);
            }
            else if (type == "message" && item.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in content.EnumerateArray())
                {
                    if (part.TryGetProperty("text", out var partText) && partText.ValueKind == JsonValueKind.String)
                    {
                        text.Append(partText.GetString());
                    }
                }
            }
        }

        var incomplete = body.TryGetProperty("status", out var status) && status.ValueEquals("incomplete"u8);
        stamp.BeginCompletion(writer);
        writer.WriteStartArray("choices"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, 0);
        writer.WriteStartObject("message"u8);
        writer.WriteString("role"u8, "assistant"u8);
        writer.WriteString("content"u8, text.ToString());
        if (calls.Count > 0)
        {
            writer.WriteStartArray("tool_calls"u8);
            foreach (var call in calls)
            {
                writer.WriteStartObject();
                writer.WriteString("id"u8, call.TryGetProperty("call_id", out var id) ? id.GetString() : "");
                writer.WriteString("type"u8, "function"u8);
                writer.WriteStartObject("function"u8);
                writer.WriteString("name"u8, call.TryGetProperty("name", out var name) ? name.GetString() : "");
                writer.WriteString("arguments"u8, call.TryGetProperty("arguments", out var arguments) ? arguments.GetString() : "");
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteString("finish_reason"u8, incomplete ? "length"u8 : calls.Count > 0 ? "tool_calls"u8 : "stop"u8);
        writer.WriteEndObject();
        writer.WriteEndArray();
        OpenAiUsage.Write(writer, usage, stamp.Charge);
        writer.WriteEndObject();
    }
}

/// <summary>
/// Relays a provider's Responses API stream event by event as it was framed (its <c>sequence_number</c>s included),
/// putting LLMTR's response id and model id into every event that carries the <c>response</c>, and keeps the usage and
/// the end for billing. Two ends are the pipeline's to write: the final <c>response.completed</c> (or
/// <c>response.incomplete</c>) is held until the cost is known and then sent with it in <c>usage</c>, as the translated
/// stream does; and an <c>error</c> event or <c>response.failed</c> from the provider ends the relay through the
/// pipeline's error path, so the client gets one <c>error</c> event and one <c>response.failed</c> in OpenAI's shape,
/// carrying the output items finished so far (<see cref="NativeResponseEvents"/> asks for these ends).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The JSON writer holds no unmanaged resource and is flushed after every event; disposing it would only flush again.")]
internal sealed class NativeResponseStream : ChatStreamTranslator
{
    private readonly ArrayBufferWriter<byte> _event = new(1024);
    private readonly Utf8JsonWriter _writer;
    private readonly List<JsonElement> _doneItems = [];
    private readonly string _modelId;
    private readonly string _suffix;
    private readonly ResponseEcho _echo;
    private readonly TimeProvider _time;
    private JsonElement _snapshot;
    private (string Type, JsonElement Data)? _final;
    private long _nextSequence;

    public NativeResponseStream(string modelId, string suffix, ResponseEcho echo, TimeProvider time)
    {
        _modelId = modelId;
        _suffix = suffix;
        _echo = echo;
        _time = time;
        _writer = new Utf8JsonWriter(_event, ResponseObject.WriterOptions);
    }

    public override void OnEvent(SseItem<ReadOnlyMemory<byte>> item, ChunkSink sink)
    {
        if (item.EventType is { Length: > 0 } framedAs && framedAs != SseParser.EventTypeDefault && Passing(item.Data.Span, out var characters, out var passedSequence))
        {
            // Most events (every delta) pass as sent: read in one pass, never made into a document.
            if (passedSequence is { } passed)
            {
                _nextSequence = Math.Max(_nextSequence, passed + 1);
            }

            GeneratedCharacters += characters;
            sink.Raw(framedAs, item.Data.Span);
            return;
        }

        using var document = ParseEvent(item);
        var data = document.RootElement;
        var type = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var name = item.EventType is { Length: > 0 } eventType && eventType != SseParser.EventTypeDefault ? eventType : type ?? SseParser.EventTypeDefault;
        // Events LLMTR writes itself after the relayed ones continue their numbering (an error event's own is not relayed).
        if (type is not ("error" or "response.failed") && data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty("sequence_number", out var sequence) && sequence.TryGetInt64(out var number))
        {
            _nextSequence = Math.Max(_nextSequence, number + 1);
        }

        var response = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("response", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
        switch (type)
        {
            case "error":
                throw new UpstreamStreamException(ErrorMessage(data) ?? "The provider reported an error during the stream.", RateLimited(data));
            case "response.failed":
                var error = response.ValueKind == JsonValueKind.Object && response.TryGetProperty("error", out var e) ? e : default;
                throw new UpstreamStreamException(
                    (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) ? m.GetString() : null) ?? "The provider could not complete the response.",
                    RateLimited(error));
            case "response.completed" or "response.incomplete":
                if (response.ValueKind == JsonValueKind.Object && response.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
                {
                    Usage = ResponsesUsage.Read(usage, response.TryGetProperty("output", out var items) ? items : default);
                    UsageReported = true;
                }

                // Sent by Rewrite once the pipeline has charged the usage, with the cost in it.
                _final = (name, data.Clone());
                Completed = true;
                return;
            case "response.output_item.done" when data.TryGetProperty("item", out var done):
                _doneItems.Add(done.Clone());
                break;
            case not null when type.EndsWith(".delta", StringComparison.Ordinal) && data.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.String:
                GeneratedCharacters += delta.GetString()?.Length ?? 0;
                break;
        }

        if (response.ValueKind == JsonValueKind.Object)
        {
            // response.created, response.in_progress, response.queued: LLMTR's id and model, and the latest state kept.
            _snapshot = response.Clone();
            sink.Raw(name, Restamped(data, null));
            return;
        }

        sink.Raw(name, item.Data.Span);
    }

    /// <summary>Sends the held final event (<c>response.completed</c> or <c>.incomplete</c>), with the cost when it is known.</summary>
    public void SendFinal(ChunkSink sink, UsageCharge? cost)
    {
        if (_final is not { } final)
        {
            return;
        }

        _final = null;
        sink.Raw(final.Type, Restamped(final.Data, cost));
    }

    /// <summary>The error as the Responses API's <c>error</c> event, then <c>response.failed</c> with the items finished so far.</summary>
    public void Fail(ChunkSink sink, OpenAiError error)
    {
        _final = null;
        var w = Begin("error");
        w.WriteString("code"u8, error.Code);
        w.WriteString("message"u8, error.Message);
        w.WriteNull("param"u8);
        w.WriteNumber("sequence_number"u8, _nextSequence++);
        w.WriteEndObject();
        sink.Raw("error", Written());

        // The response's error code is one of OpenAI's documented few; LLMTR's own code is in the error event above.
        var failure = (OpenAiErrorTypes.StatusCodeOf(error.Type) == 429 ? "rate_limit_exceeded" : "server_error", error.Message);
        w = Begin("response.failed");
        w.WritePropertyName("response"u8);
        if (_snapshot.ValueKind == JsonValueKind.Object)
        {
            ResponsesUsage.WriteResponse(w, _snapshot, _suffix, _modelId, null, failure, _doneItems);
        }
        else
        {
            var now = _time.GetUtcNow().ToUnixTimeSeconds();
            ResponseObject.Write(w, new ResponseState(_suffix, now, now, _modelId, "failed", null, failure, [], null, null), _echo);
        }

        w.WriteNumber("sequence_number"u8, _nextSequence++);
        w.WriteEndObject();
        sink.Raw("response.failed", Written());
    }

    /// <summary>An event whose <c>response</c> carries LLMTR's id, model (and cost, when given) in place of the provider's.</summary>
    private byte[] Restamped(JsonElement data, UsageCharge? cost)
    {
        _event.ResetWrittenCount();
        _writer.Reset(_event);
        _writer.WriteStartObject();
        foreach (var property in data.EnumerateObject())
        {
            if (property.NameEquals("response"u8) && property.Value.ValueKind == JsonValueKind.Object)
            {
                _writer.WritePropertyName("response"u8);
                ResponsesUsage.WriteResponse(_writer, property.Value, _suffix, _modelId, cost);
            }
            else
            {
                property.WriteTo(_writer);
            }
        }

        _writer.WriteEndObject();
        return Written();
    }

    private Utf8JsonWriter Begin(string type)
    {
        _event.ResetWrittenCount();
        _writer.Reset(_event);
        _writer.WriteStartObject();
        _writer.WriteString("type"u8, type);
        return _writer;
    }

    private byte[] Written()
    {
        _writer.Flush();
        return _event.WrittenSpan.ToArray();
    }

    /// <summary>
    /// An event relayed as sent, checked and read with a reader: one whose <c>type</c> is not an end, an error or a
    /// finished item, and that carries no <c>response</c> object; the rest (and anything odd) goes through the document.
    /// </summary>
    /// <param name="characters">A <c>*.delta</c> event's text, in UTF-16 characters.</param>
    /// <param name="sequence">The event's <c>sequence_number</c>, when it has one.</param>
    private static bool Passing(ReadOnlySpan<byte> data, out long characters, out long? sequence)
    {
        characters = 0;
        sequence = null;
        try
        {
            var reader = new Utf8JsonReader(data);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            bool? isDelta = null;
            long text = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || Read(reader.ValueSpan))
                    {
                        return false;
                    }

                    isDelta = reader.ValueSpan.EndsWith(".delta"u8);
                }
                else if (reader.ValueTextEquals("response"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        return false;
                    }
                }
                else if (reader.ValueTextEquals("sequence_number"u8))
                {
                    reader.Read();
                    sequence = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number) ? number : sequence;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("delta"u8))
                {
                    reader.Read();
                    text = reader.TokenType == JsonTokenType.String ? JsonCopy.Characters(ref reader) : 0;
                    reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            while (reader.Read())
            {
                // Anything but space after the object throws: the event is not JSON.
            }

            characters = isDelta == true ? text : 0;
            return isDelta is not null;
        }
        catch (JsonException)
        {
            throw new UpstreamStreamException("The provider sent a stream event that is not JSON.");
        }
    }

    /// <summary>The event types the document path reads: the ends, errors and finished items.</summary>
    private static bool Read(ReadOnlySpan<byte> type) =>
        type.SequenceEqual("error"u8) || type.SequenceEqual("response.failed"u8) || type.SequenceEqual("response.completed"u8)
        || type.SequenceEqual("response.incomplete"u8) || type.SequenceEqual("response.output_item.done"u8);

    /// <summary>The message of the Responses API's <c>error</c> event (<c>{"type":"error","message":…}</c>), or of a nested error object.</summary>
    private static string? ErrorMessage(JsonElement data) =>
        data.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String ? message.GetString() : ChatProtocol.OpenAiErrorMessage(data);

    private static bool RateLimited(JsonElement error)
    {
        if (error.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var owner = error.TryGetProperty("error", out var nested) && nested.ValueKind == JsonValueKind.Object ? nested : error;
        return (owner.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String && code.GetString() is "rate_limit_exceeded" or "rate_limit_error")
            || (owner.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() is "rate_limit_exceeded" or "rate_limit_error");
    }
}

/// <summary>
/// The client's stream while a provider's own Responses API events are relayed: they pass through as framed; the
/// pipeline's ends (the usage with its cost, the end, an error) are the held final event and the failure events of
/// <see cref="NativeResponseStream"/>.
/// </summary>
internal sealed class NativeResponseEvents(NativeResponseStream stream, string id, string model, long created) : ChunkSink(id, model, created)
{
    public override void Text(int choice, string text)
    {
    }

    public override void Refusal(int choice, string text)
    {
    }

    public override void ToolCall(int choice, int call, string? id, string? name, string arguments)
    {
    }

    public override void Finish(int choice, string reason)
    {
    }

    public override void Usage(UsageCounts usage, UsageCharge charge) => stream.SendFinal(this, charge);

    public override void Done() => stream.SendFinal(this, null);

    public override void Error(OpenAiError error) => stream.Fail(this, error);
}
