using System.Buffers;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.InteropServices;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.Modules.Gateway.Protocols.Anthropic;

namespace LlmTr.Modules.Gateway.Messages;

/// <summary>
/// A Messages API request relayed natively to a provider that speaks the Messages API: the client's body goes up byte
/// for byte with only the model's value replaced (thinking, cache control, server tools, in-conversation system
/// messages and every other field included), with the client's <c>anthropic-version</c>, <c>anthropic-beta</c> and query
/// string; the provider judges the body as it would a direct call, and the answer comes back
/// as the provider sent it, with LLMTR's message id, model id and cost. Usage is read on the way through for billing.
/// </summary>
internal sealed class NativeMessages(MessagesFormat format) : ChatProtocol
{
    public override ApiProtocol Protocol => ApiProtocol.AnthropicMessages;

    public override HttpRequestMessage CreateRequest(ChatCall call) => Create(call.Settings, "messages", format.UpstreamBody(call.Model.UpstreamName), call.Request.Stream);

    /// <summary>A POST of <paramref name="body"/> to <c>/v1/{path}</c> of the provider, with its credential and the client's query and version headers.</summary>
    public HttpRequestMessage Create(ProviderSettings settings, string path, ReadOnlyMemory<byte> body, bool stream)
    {
        var prefix = settings.BaseUrl.AbsolutePath.TrimEnd('/').EndsWith("/v1", StringComparison.Ordinal) ? "" : "v1/";
        var uri = settings.Resolve(prefix + path);
        if (format.Query is { Length: > 1 } query)
        {
            // The client's query as sent (?beta=true): the provider reads it as it would from the client.
            uri = new Uri(uri.Query.Length > 0 ? uri.AbsoluteUri + "&" + query[1..] : uri.AbsoluteUri + query);
        }

        var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new ReadOnlyMemoryContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        settings.Authorize(request);

        request.Headers.TryAddWithoutValidation("anthropic-version", format.Version ?? AnthropicProtocol.ApiVersion);
        if (format.Beta is { } beta)
        {
            request.Headers.TryAddWithoutValidation("anthropic-beta", beta);
        }

        if (stream)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        }

        return request;
    }

    public override ChatCompletion ReadCompletion(JsonElement body, ChatCall call)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
        {
            throw new UpstreamProtocolException("The provider's answer has no 'content'.");
        }

        var usage = body.TryGetProperty("usage", out var counts) ? default(AnthropicUsage).With(counts).ToCounts() : UsageCounts.None;
        return new NativeMessage(body.Clone(), usage);
    }

    public override ChatStreamTranslator CreateStreamTranslator(ChatCall call) => new NativeMessageStream(call.Model.Id, MessagesJson.MessageId(call.ResponseId));
}

/// <summary>A provider's own Messages API answer, written back with LLMTR's id, model and cost.</summary>
internal sealed class NativeMessage(JsonElement body, UsageCounts usage) : ChatCompletion
{
    public override UsageCounts Usage => usage;

    /// <summary>OpenAI's shape, should anything ask for it (the Messages API client never does).</summary>
    public override void WriteTo(Utf8JsonWriter writer, ResponseStamp stamp) => AnthropicCompletion.Read(body, null).WriteTo(writer, stamp);

    public void WriteMessage(IBufferWriter<byte> output, ResponseStamp stamp)
    {
        using var writer = new Utf8JsonWriter(output, MessagesJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("id"u8, MessagesJson.MessageId(stamp.Id));
        writer.WriteString("model"u8, stamp.Model);
        foreach (var property in body.EnumerateObject())
        {
            if (property.Name is "id" or "model")
            {
                continue;
            }

            if (property.Name == "usage" && property.Value.ValueKind == JsonValueKind.Object)
            {
                writer.WriteStartObject("usage"u8);
                foreach (var count in property.Value.EnumerateObject())
                {
                    count.WriteTo(writer);
                }

                OpenAiUsage.WriteCost(writer, stamp.Charge);
                writer.WriteEndObject();
                continue;
            }

            property.WriteTo(writer);
        }

        writer.WriteEndObject();
    }
}

/// <summary>
/// Relays a provider's Messages API stream event by event as it was framed, putting LLMTR's id and model into
/// <c>message_start</c>, and keeps the usage and the end for billing. An <c>error</c> event ends the relay through the
/// pipeline's own error path (so the client gets one error event, in Anthropic's shape).
/// </summary>
internal sealed class NativeMessageStream(string modelId, string messageId) : ChatStreamTranslator
{
    private AnthropicUsage _usage;

    public override void OnEvent(SseItem<ReadOnlyMemory<byte>> item, ChunkSink sink)
    {
        if (Passing(item.Data.Span, out var characters, out var stop))
        {
            // Most events (every content delta) pass as sent: read in one pass, never made into a document.
            GeneratedCharacters += characters;
            Completed |= stop;
            sink.Raw(item.EventType, item.Data.Span);
            return;
        }

        using var document = ParseEvent(item);
        var data = document.RootElement;
        var type = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("type", out var t) ? t.GetString() : null;
        switch (type)
        {
            case "message_start" when data.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object:
                if (message.TryGetProperty("usage", out var start))
                {
                    _usage = _usage.With(start);
                    Usage = _usage.ToCounts();
                }

                sink.Raw("message_start", Restamped(JsonMarshal.GetRawUtf8Value(message)));
                return;
            case "content_block_delta" when data.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object:
                GeneratedCharacters += (delta.TryGetProperty("text", out var text) ? text.GetString()?.Length : null)
                    ?? (delta.TryGetProperty("partial_json", out var json) ? json.GetString()?.Length : null) ?? 0;
                break;
            case "message_delta":
                if (data.TryGetProperty("usage", out var usage))
                {
                    _usage = _usage.With(usage);
                    Usage = _usage.ToCounts();
                    UsageReported = true;
                }

                break;
            case "message_stop":
                Completed = true;
                break;
            case "error":
                var error = data.TryGetProperty("error", out var body) && body.ValueKind == JsonValueKind.Object ? body : default;
                var kind = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("type", out var k) ? k.GetString() : null;
                throw new UpstreamStreamException(ChatProtocol.OpenAiErrorMessage(data) ?? "The provider reported an error during the stream.",
                    rateLimited: kind is "overloaded_error" or "rate_limit_error");
        }

        sink.Raw(item.EventType, item.Data.Span);
    }

    /// <summary>
    /// An event relayed as sent, checked and read with a reader: everything but <c>message_start</c> (restamped),
    /// <c>message_delta</c> (usage) and <c>error</c>, and anything not an object, which the document path judges.
    /// </summary>
    /// <param name="characters">A content delta's text or partial JSON, in UTF-16 characters.</param>
    /// <param name="stop">The event is <c>message_stop</c>.</param>
    private static bool Passing(ReadOnlySpan<byte> data, out long characters, out bool stop)
    {
        characters = 0;
        stop = false;
        try
        {
            var reader = new Utf8JsonReader(data);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var kind = Kind.Other;
            long? text = null;
            long json = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("type"u8);
                var isDelta = !isType && reader.ValueTextEquals("delta"u8);
                reader.Read();
                if (isType && reader.TokenType == JsonTokenType.String)
                {
                    kind = reader.ValueTextEquals("content_block_delta"u8) ? Kind.Delta
                        : reader.ValueTextEquals("message_stop"u8) ? Kind.Stop
                        : reader.ValueTextEquals("message_start"u8) || reader.ValueTextEquals("message_delta"u8) || reader.ValueTextEquals("error"u8) ? Kind.Read
                        : Kind.Other;
                }
                else if (isDelta && reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var isText = reader.ValueTextEquals("text"u8);
                        var isJson = !isText && reader.ValueTextEquals("partial_json"u8);
                        reader.Read();
                        if (isText && reader.TokenType == JsonTokenType.String)
                        {
                            text = JsonCopy.Characters(ref reader);
                        }
                        else if (isJson && reader.TokenType == JsonTokenType.String)
                        {
                            json = JsonCopy.Characters(ref reader);
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            while (reader.Read())
            {
                // Anything but space after the object throws: the event is not JSON.
            }

            characters = kind == Kind.Delta ? text ?? json : 0;
            stop = kind == Kind.Stop;
            return kind != Kind.Read;
        }
        catch (JsonException)
        {
            throw new UpstreamStreamException("The provider sent a stream event that is not JSON.");
        }
    }

    /// <summary><c>message_start</c> with LLMTR's message id and model id in place of the provider's, the rest of the message copied as sent.</summary>
    private byte[] Restamped(ReadOnlySpan<byte> message)
    {
        var output = new ArrayBufferWriter<byte>(message.Length + 128);
        using (var writer = new Utf8JsonWriter(output, MessagesJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "message_start"u8);
            writer.WriteStartObject("message"u8);
            writer.WriteString("id"u8, messageId);
            writer.WriteString("model"u8, modelId);
            var reader = new Utf8JsonReader(message);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8) || reader.ValueTextEquals("model"u8))
                {
                    reader.Read();
                    reader.Skip();
                }
                else
                {
                    JsonCopy.Member(ref reader, message, writer);
                }
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    private enum Kind
    {
        Other,
        Delta,
        Stop,

        /// <summary>Read through the document: its usage, its stamp or its error matter.</summary>
        Read,
    }
}
