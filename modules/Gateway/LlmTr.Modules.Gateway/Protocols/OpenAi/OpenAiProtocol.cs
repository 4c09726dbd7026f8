using System.Buffers;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;

namespace LlmTr.Modules.Gateway.Protocols.OpenAi;

/// <summary>
/// OpenAI's Chat Completions protocol, also spoken by Mistral, xAI, DeepSeek, Qwen, MiMo and LLMTR's own inference
/// servers. The request goes up as the client sent it, with as little rewritten as possible: the upstream model name,
/// LLMTR's own options removed, and usage requested on streams (so every stream can be billed).
/// </summary>
internal sealed class OpenAiProtocol : ChatProtocol
{
    public override ApiProtocol Protocol => ApiProtocol.OpenAi;

    public override HttpRequestMessage CreateRequest(ChatCall call)
    {
        var body = new ArrayBufferWriter<byte>(call.Request.BodyLength + 64);
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            foreach (var property in call.Request.Root.EnumerateObject())
            {
                if (!(property.NameEquals("model"u8) || property.NameEquals("llmtr"u8) || property.NameEquals("stream_options"u8)))
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteString("model"u8, call.Model.UpstreamName);
            if (call.Request.Stream)
            {
                writer.WriteStartObject("stream_options"u8);
                writer.WriteBoolean("include_usage"u8, true);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return Post(call, "chat/completions", body.WrittenMemory);
    }

    /// <summary>A POST of a JSON body to a path of an OpenAI-style provider, with its key as a bearer token, asking for events when the request streams.</summary>
    internal static HttpRequestMessage Post(ChatCall call, string path, ReadOnlyMemory<byte> body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, call.Settings.Resolve(path))
        {
            Content = new ReadOnlyMemoryContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        if (call.Settings.ApiKey is { Length: > 0 } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (call.Request.Stream)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        }

        return request;
    }

    public override ChatCompletion ReadCompletion(JsonElement body, ChatCall call)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
        {
            throw new UpstreamProtocolException("The provider's answer has no 'choices'.");
        }

        return new PassedThroughCompletion(body.Clone(), body.TryGetProperty("usage", out var usage) ? OpenAiUsage.Read(usage) : UsageCounts.None);
    }

    public override ChatStreamTranslator CreateStreamTranslator(ChatCall call) => new StreamTranslator();

    /// <summary>The provider's own body with the gateway's id, the canonical model and the cost put in.</summary>
    private sealed class PassedThroughCompletion(JsonElement body, UsageCounts usage) : ChatCompletion
    {
        public override UsageCounts Usage => usage;

        public override void WriteTo(Utf8JsonWriter writer, ResponseStamp stamp)
        {
            stamp.BeginCompletion(writer);
            foreach (var property in body.EnumerateObject())
            {
                if (!IsStamped(property))
                {
                    property.WriteTo(writer);
                }
            }

            WriteUsage(writer, body, usage, stamp.Charge);
            writer.WriteEndObject();
        }
    }

    /// <summary>
    /// A field the gateway writes itself on every answer and chunk (its ids, the model asked for, usage with cost), so the
    /// provider's is dropped. Compared as UTF-8, without making a string of every field name.
    /// </summary>
    private static bool IsStamped(JsonProperty property) =>
        property.NameEquals("id"u8) || property.NameEquals("object"u8) || property.NameEquals("created"u8)
        || property.NameEquals("model"u8) || property.NameEquals("usage"u8);

    /// <summary>The provider's usage object as it sent it (keeping fields we do not know), with the cost added.</summary>
    private static void WriteUsage(Utf8JsonWriter writer, JsonElement owner, UsageCounts usage, UsageCharge charge)
    {
        if (!owner.TryGetProperty("usage", out var upstream) || upstream.ValueKind != JsonValueKind.Object)
        {
            OpenAiUsage.Write(writer, usage, charge);
            return;
        }

        writer.WriteStartObject("usage"u8);
        foreach (var property in upstream.EnumerateObject())
        {
            if (!(property.NameEquals("cost"u8) || property.NameEquals("cost_currency"u8)))
            {
                property.WriteTo(writer);
            }
        }

        OpenAiUsage.WriteCost(writer, charge);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Rewrites each chunk's id and model; keeps the provider's usage chunk for billing instead of passing it on (the
    /// gateway sends its own, with the cost, when the client asked for it).
    /// </summary>
    private sealed class StreamTranslator : ChatStreamTranslator
    {
        public override void OnEvent(SseItem<ReadOnlyMemory<byte>> item, ChunkSink sink)
        {
            var data = item.Data.Span;
            if (data.SequenceEqual("[DONE]"u8))
            {
                Completed = true;
                return;
            }

            using (var document = ParseEvent(item))
            {
                var chunk = document.RootElement;
                if (chunk.ValueKind == JsonValueKind.Object && chunk.TryGetProperty("error", out _))
                {
                    throw new UpstreamStreamException(OpenAiErrorMessage(chunk) ?? "The provider reported an error during the stream.");
                }

                if (chunk.ValueKind != JsonValueKind.Object)
                {
                    throw new UpstreamStreamException("The provider sent a stream event that is not a chunk object.");
                }

                if (chunk.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
                {
                    Usage = OpenAiUsage.Read(usage);
                    UsageReported = true;
                }

                if (!chunk.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
                {
                    return;
                }

                foreach (var choice in choices.EnumerateArray())
                {
                    if (choice.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object)
                    {
                        GeneratedCharacters += TextLength(delta);
                    }
                }

                var writer = sink.Begin();
                foreach (var property in chunk.EnumerateObject())
                {
                    if (!IsStamped(property))
                    {
                        property.WriteTo(writer);
                    }
                }

                sink.End();
            }
        }

        private static long TextLength(JsonElement delta)
        {
            long length = 0;
            if (delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
            {
                length += content.GetString()!.Length;
            }

            if (delta.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in calls.EnumerateArray())
                {
                    if (call.TryGetProperty("function", out var function) && function.TryGetProperty("arguments", out var arguments) && arguments.ValueKind == JsonValueKind.String)
                    {
                        length += arguments.GetString()!.Length;
                    }
                }
            }

            return length;
        }
    }
}
