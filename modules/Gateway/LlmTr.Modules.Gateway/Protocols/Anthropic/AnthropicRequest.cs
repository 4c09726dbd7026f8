using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Chat;

namespace LlmTr.Modules.Gateway.Protocols.Anthropic;

/// <summary>
/// Writes the Messages API body for a chat completion request. What has an Anthropic counterpart is translated; what
/// has none (<c>n</c>, <c>seed</c>, penalties, <c>logprobs</c>, <c>logit_bias</c>, <c>reasoning_effort</c>, OpenAI's
/// <c>metadata</c>) is dropped, because the Messages API refuses fields it does not know.
/// </summary>
internal static class AnthropicRequest
{
    /// <summary>Used when neither the request nor the catalog says how long an answer may be: Anthropic requires a limit.</summary>
    public const int DefaultMaxTokens = 4096;

    /// <summary>
    /// Extra body fields (not OpenAI's) that mean the same in the Messages API and pass on untouched; any other extra
    /// is dropped rather than sent to a provider that would refuse the whole request for it.
    /// </summary>
    public static readonly IReadOnlySet<string> PassedThroughExtras = new HashSet<string>(StringComparer.Ordinal) { "thinking", "top_k" };

    // Text goes up as written (Turkish letters unescaped) and base64 images without '+' escaped; this JSON never reaches
    // a browser, so HTML-safe escaping would only make bodies larger.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static ReadOnlyMemory<byte> Write(ChatRequest request, CatalogModel model)
    {
        var body = new ArrayBufferWriter<byte>(JsonMarshal.GetRawUtf8Value(request.Root).Length + 512);
        using (var writer = new Utf8JsonWriter(body, WriterOptions))
        {
            var json = AnthropicJsonOutput.For(request);
            writer.WriteStartObject();
            writer.WriteString("model"u8, model.UpstreamName);
            writer.WriteNumber("max_tokens"u8, request.MaxTokens ?? model.MaxOutputTokens ?? DefaultMaxTokens);
            AnthropicConversation.Write(writer, request.Messages, json.Instruction);
            AnthropicTools.Write(writer, request, json.AnswerTool);
            WriteSampling(writer, request);
            WriteOptions(writer, request);
            writer.WriteEndObject();
        }

        return body.WrittenMemory;
    }

    /// <summary>
    /// Temperature: OpenAI's range is 0–2, Anthropic's 0–1. Values above 1 are clamped to 1 rather than scaled, so a
    /// temperature that means the same on both sides (0 to 1) is sent unchanged. <c>top_p</c> is sent only without a
    /// temperature: recent Claude models refuse requests that set both.
    /// </summary>
    private static void WriteSampling(Utf8JsonWriter writer, ChatRequest request)
    {
        if (request.Number("temperature") is { } temperature)
        {
            writer.WriteNumber("temperature"u8, Math.Min(temperature, 1.0));
        }
        else if (request.Number("top_p") is { } topP)
        {
            writer.WriteNumber("top_p"u8, topP);
        }

        if (StopSequences(request) is { Count: > 0 } stops)
        {
            writer.WriteStartArray("stop_sequences"u8);
            foreach (var stop in stops)
            {
                writer.WriteStringValue(stop);
            }

            writer.WriteEndArray();
        }
    }

    /// <summary>
    /// The request's stop sequences that Anthropic takes. Anthropic refuses the whole request (400) for a stop sequence
    /// that is empty or only whitespace (<c>"\n"</c>, <c>" "</c>), which OpenAI accepts; those are left out, the others
    /// kept in order, and with none left the field is not sent.
    /// </summary>
    private static List<string> StopSequences(ChatRequest request) =>
        request.StopSequences.Where(stop => !string.IsNullOrWhiteSpace(stop)).ToList();

    private static void WriteOptions(Utf8JsonWriter writer, ChatRequest request)
    {
        if (request.Property("user") is { ValueKind: JsonValueKind.String } user && user.GetString() is { Length: > 0 } userId)
        {
            writer.WriteStartObject("metadata"u8);
            writer.WriteString("user_id"u8, userId);
            writer.WriteEndObject();
        }

        // OpenAI's 'default' tier is plain standard capacity: Anthropic's 'standard_only'. Its 'flex' and 'priority'
        // have no counterpart a request can ask for.
        if (request.Property("service_tier") is { ValueKind: JsonValueKind.String } tier)
        {
            if (tier.ValueEquals("auto"u8))
            {
                writer.WriteString("service_tier"u8, "auto"u8);
            }
            else if (tier.ValueEquals("default"u8) || tier.ValueEquals("standard_only"u8))
            {
                writer.WriteString("service_tier"u8, "standard_only"u8);
            }
        }

        if (request.Stream)
        {
            writer.WriteBoolean("stream"u8, true);
        }

        foreach (var extra in request.Extras)
        {
            if (PassedThroughExtras.Contains(extra.Name))
            {
                extra.WriteTo(writer);
            }
        }
    }
}
