using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.SharedKernel;

namespace LlmTr.Modules.Gateway.Messages;

/// <summary>
/// Checks a Messages API request (Anthropic's shape) and writes the same request as an OpenAI chat completion body,
/// which the chat pipeline then validates, scopes, bills and sends on. System text becomes a system message, text,
/// image and PDF blocks become content parts, <c>tool_use</c> blocks become tool calls and <c>tool_result</c> blocks tool
/// messages; custom tools, tool choice, stop sequences, sampling and <c>metadata.user_id</c> have direct counterparts.
/// Thinking blocks, server tools and <c>top_k</c> have none and are left out of the translation (a model whose provider
/// speaks the Messages API receives the original body instead, with all of them).
/// </summary>
internal static class MessagesRequest
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the OpenAI body for <paramref name="root"/>, or returns why the request is invalid.</summary>
    /// <param name="countingTokens">A token count: <c>max_tokens</c> is neither required nor meaningful.</param>
    public static GatewayError? Translate(JsonElement root, IBufferWriter<byte> output, bool countingTokens = false)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return GatewayError.Of(ApiErrors.InvalidJson, "The request body must be a JSON object.");
        }

        var invalid = Check(root, countingTokens);
        if (invalid is not null)
        {
            return invalid;
        }

        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("model"u8, root.GetProperty("model").GetString());
        writer.WriteNumber("max_tokens"u8, countingTokens ? 1 : root.GetProperty("max_tokens").GetInt32());
        writer.WriteStartArray("messages"u8);
        if (root.TryGetProperty("system", out var system) && SystemText(system) is { Length: > 0 } text)
        {
            writer.WriteStartObject();
            writer.WriteString("role"u8, "system"u8);
            writer.WriteString("content"u8, text);
            writer.WriteEndObject();
        }

        foreach (var message in root.GetProperty("messages").EnumerateArray())
        {
            MessagesContent.WriteTurn(writer, message);
        }

        writer.WriteEndArray();
        MessagesTools.Write(writer, root);
        WriteOptions(writer, root);
        writer.WriteEndObject();
        return null;
    }

    private static void WriteOptions(Utf8JsonWriter writer, JsonElement root)
    {
        foreach (var name in (ReadOnlySpan<string>)["temperature", "top_p"])
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }
        }

        if (root.TryGetProperty("stop_sequences", out var stops) && stops.ValueKind == JsonValueKind.Array && stops.GetArrayLength() > 0)
        {
            writer.WritePropertyName("stop"u8);
            stops.WriteTo(writer);
        }

        if (root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("user_id", out var user) && user.ValueKind == JsonValueKind.String)
        {
            writer.WriteString("user"u8, user.GetString());
        }

        if (root.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True)
        {
            // Usage is always wanted: the Messages stream ends with it in message_delta.
            writer.WriteBoolean("stream"u8, true);
            writer.WriteStartObject("stream_options"u8);
            writer.WriteBoolean("include_usage"u8, true);
            writer.WriteEndObject();
        }

        if (root.TryGetProperty("llmtr", out var llmtr))
        {
            writer.WritePropertyName("llmtr"u8);
            llmtr.WriteTo(writer);
        }
    }

    /// <summary>The system prompt: a string, or text blocks joined by blank lines.</summary>
    private static string SystemText(JsonElement system) => system.ValueKind switch
    {
        JsonValueKind.String => system.GetString()!,
        JsonValueKind.Array => string.Join("\n\n", system.EnumerateArray()
            .Where(b => b.ValueKind == JsonValueKind.Object && b.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
            .Select(b => b.GetProperty("text").GetString())),
        _ => "",
    };

    /// <summary>The Messages API's own rules, with its field names in the answer (the chat validator then checks the rest).</summary>
    private static GatewayError? Check(JsonElement root, bool countingTokens)
    {
        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(model.GetString()))
        {
            return GatewayError.Invalid("'model' is required: a model id such as 'anthropic/claude-sonnet-4.5'.", "model");
        }

        if (!countingTokens && (!root.TryGetProperty("max_tokens", out var max) || max.ValueKind != JsonValueKind.Number || !max.TryGetInt32(out var tokens) || tokens < 1))
        {
            return GatewayError.Invalid("'max_tokens' is required: a whole number of at least 1.", "max_tokens");
        }

        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            return GatewayError.Invalid("'messages' is required: a non-empty array of {\"role\", \"content\"} objects.", "messages");
        }

        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (MessagesContent.Check(message, $"messages[{index}]") is { } problem)
            {
                return problem;
            }

            index++;
        }

        if (root.TryGetProperty("system", out var system) && system.ValueKind is not (JsonValueKind.String or JsonValueKind.Array or JsonValueKind.Null))
        {
            return GatewayError.Invalid("'system' must be a string or an array of text blocks.", "system");
        }

        if (root.TryGetProperty("stream", out var stream) && stream.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
        {
            return GatewayError.Invalid("'stream' must be true or false.", "stream");
        }

        if (root.TryGetProperty("stop_sequences", out var stops) && (stops.ValueKind != JsonValueKind.Array
            || stops.EnumerateArray().Any(s => s.ValueKind != JsonValueKind.String)))
        {
            return GatewayError.Invalid("'stop_sequences' must be an array of strings.", "stop_sequences");
        }

        return Range(root, "temperature", 0, 1) ?? Range(root, "top_p", 0, 1) ?? MessagesTools.Check(root);
    }

    private static GatewayError? Range(JsonElement root, string name, double min, double max) =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null
            ? null
            : value.ValueKind != JsonValueKind.Number || value.GetDouble() < min || value.GetDouble() > max
                ? GatewayError.Invalid($"'{name}' must be a number from {min} to {max}.", name)
                : null;
}
