using System.Buffers;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.InteropServices;
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

    /// <summary>
    /// The client's body as its bytes (<see cref="JsonSplice"/>), never written again from the parsed request: the model's
    /// value replaced, LLMTR's <c>llmtr</c> and the client's <c>stream_options</c> taken out, and on a stream
    /// <c>stream_options.include_usage</c> put back in.
    /// </summary>
    public override HttpRequestMessage CreateRequest(ChatCall call) =>
        Post(call, "chat/completions", JsonSplice.Object(
            JsonMarshal.GetRawUtf8Value(call.Request.Root),
            call.Model.UpstreamName,
            call.Request.Stream ? "\"stream_options\":{\"include_usage\":true}"u8 : default,
            OwnField,
            StreamOptionsField));

    private static readonly byte[] OwnField = "llmtr"u8.ToArray();

    private static readonly byte[] StreamOptionsField = "stream_options"u8.ToArray();

    /// <summary>A POST of a JSON body to a path of an OpenAI-style provider, with its key as a bearer token, asking for events when the request streams.</summary>
    internal static HttpRequestMessage Post(ChatCall call, string path, ReadOnlyMemory<byte> body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, call.Settings.Resolve(path))
        {
            Content = new ReadOnlyMemoryContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        call.Settings.Authorize(request);

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
    /// Rewrites each chunk's id and model in one pass (<see cref="OpenAiRelay.RelayChunk"/>); keeps the provider's usage
    /// chunk for billing instead of passing it on (the gateway sends its own, with the cost, when the client asked for it).
    /// </summary>
    private sealed class StreamTranslator : ChatStreamTranslator
    {
        public override void OnEvent(SseItem<ReadOnlyMemory<byte>> item, ChunkSink sink)
        {
            if (item.Data.Span.SequenceEqual("[DONE]"u8))
            {
                Completed = true;
                return;
            }

            var characters = OpenAiRelay.RelayChunk(item.Data, sink, out var usage);
            if (usage is { } reported)
            {
                Usage = reported;
                UsageReported = true;
            }

            GeneratedCharacters += characters;
        }
    }
}
