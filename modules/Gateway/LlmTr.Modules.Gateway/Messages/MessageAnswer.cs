using System.Buffers;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Gateway.Protocols;

namespace LlmTr.Modules.Gateway.Messages;

/// <summary>
/// Writes an answer the pipeline produced in OpenAI's shape as a Messages API <c>message</c>: the text as a text block,
/// each tool call as a <c>tool_use</c> block (its arguments parsed into <c>input</c>), the finish reason as
/// <c>stop_reason</c>, and usage in Anthropic's terms (input tokens exclude cache reads) with LLMTR's cost added.
/// </summary>
internal static class MessageAnswer
{
    public static void Write(IBufferWriter<byte> output, ChatCompletion completion, ResponseStamp stamp)
    {
        var openAi = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(openAi))
        {
            completion.WriteTo(writer, stamp);
        }

        using var document = JsonDocument.Parse(openAi.WrittenMemory);
        var choice = document.RootElement.GetProperty("choices")[0];
        var message = choice.GetProperty("message");
        using var json = new Utf8JsonWriter(output, MessagesJson.WriterOptions);
        json.WriteStartObject();
        json.WriteString("id"u8, MessagesJson.MessageId(stamp.Id));
        json.WriteString("type"u8, "message"u8);
        json.WriteString("role"u8, "assistant"u8);
        json.WriteString("model"u8, stamp.Model);
        json.WriteStartArray("content"u8);
        if (message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String && content.GetString() is { Length: > 0 } text)
        {
            json.WriteStartObject();
            json.WriteString("type"u8, "text"u8);
            json.WriteString("text"u8, text);
            json.WriteEndObject();
        }

        if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in calls.EnumerateArray())
            {
                var function = call.GetProperty("function");
                json.WriteStartObject();
                json.WriteString("type"u8, "tool_use"u8);
                json.WriteString("id"u8, call.GetProperty("id").GetString());
                json.WriteString("name"u8, function.GetProperty("name").GetString());
                json.WritePropertyName("input"u8);
                MessagesJson.WriteInput(json, function.TryGetProperty("arguments", out var arguments) ? arguments.GetString() : null);
                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
        json.WriteString("stop_reason"u8, MessagesJson.StopReason(choice.TryGetProperty("finish_reason", out var finish) ? finish.GetString() : null));
        json.WriteNull("stop_sequence"u8);
        MessagesJson.WriteUsage(json, completion.Usage, stamp.Charge);
        json.WriteEndObject();
    }
}

/// <summary>What the Messages API's answers have in common: ids, stop reasons, usage.</summary>
internal static class MessagesJson
{
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The message id for the gateway's response id (<c>chatcmpl-req_…</c> → <c>msg_…</c>): the request id stays findable in it.</summary>
    public static string MessageId(string responseId) =>
        "msg_" + (responseId.StartsWith("chatcmpl-req_", StringComparison.Ordinal) ? responseId["chatcmpl-req_".Length..] : responseId);

    /// <summary>OpenAI's finish reason as Anthropic's stop reason.</summary>
    public static string StopReason(string? finishReason) => finishReason switch
    {
        "length" => "max_tokens",
        "tool_calls" or "function_call" => "tool_use",
        "content_filter" => "refusal",
        _ => "end_turn",
    };

    /// <summary>Tool arguments (JSON text) as an input object; arguments that are not a JSON object become an empty one.</summary>
    public static void WriteInput(Utf8JsonWriter writer, string? arguments)
    {
        if (!string.IsNullOrWhiteSpace(arguments))
        {
            try
            {
                using var input = JsonDocument.Parse(arguments);
                if (input.RootElement.ValueKind == JsonValueKind.Object)
                {
                    input.RootElement.WriteTo(writer);
                    return;
                }
            }
            catch (JsonException)
            {
                // A model that produced broken arguments: the client gets an empty input rather than a broken body.
            }
        }

        writer.WriteStartObject();
        writer.WriteEndObject();
    }

    /// <summary>Anthropic's usage object: uncached input, cache reads apart, output; with LLMTR's cost.</summary>
    public static void WriteUsage(Utf8JsonWriter writer, UsageCounts usage, UsageCharge? charge)
    {
        writer.WriteStartObject("usage"u8);
        WriteCounts(writer, usage);
        if (charge is not null)
        {
            OpenAiUsage.WriteCost(writer, charge);
        }

        writer.WriteEndObject();
    }

    public static void WriteCounts(Utf8JsonWriter writer, UsageCounts usage)
    {
        writer.WriteNumber("input_tokens"u8, Math.Max(0, usage.PromptTokens - usage.CachedPromptTokens));
        writer.WriteNumber("cache_creation_input_tokens"u8, 0);
        writer.WriteNumber("cache_read_input_tokens"u8, usage.CachedPromptTokens);
        writer.WriteNumber("output_tokens"u8, usage.CompletionTokens);
    }
}
