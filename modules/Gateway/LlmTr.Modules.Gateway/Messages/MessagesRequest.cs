using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.SharedKernel;

namespace LlmTr.Modules.Gateway.Messages;

/// <summary>
/// Checks a Messages API request (Anthropic's shape) and writes the same request as an OpenAI chat completion body,
/// which the chat pipeline then validates, scopes, bills and sends on; used only for a model whose provider does not
/// speak the Messages API (a model whose provider does receives the original body instead, with everything in it).
/// The top-level system text becomes the first system message, and each system message inside <c>messages</c> a system
/// message at its own place; text, image and PDF blocks become content parts, <c>tool_use</c> blocks tool calls and
/// <c>tool_result</c> blocks tool messages; custom tools, tool choice, stop sequences, sampling, structured output
/// (<c>output_config.format</c>) and <c>metadata.user_id</c> have direct counterparts. What only tunes how Anthropic's
/// own models work, and does not change what is asked, has none and is left out: thinking settings and blocks,
/// <c>cache_control</c>, <c>context_management</c>, <c>output_config.effort</c>, <c>top_k</c>, betas. Anthropic's server
/// tools (web search run by Anthropic) have no counterpart either and are left out: the model answers without them.
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

        if (OutputFormat(root, out var schema) is null && schema.ValueKind == JsonValueKind.Object)
        {
            writer.WriteStartObject("response_format"u8);
            writer.WriteString("type"u8, "json_schema"u8);
            writer.WriteStartObject("json_schema"u8);
            writer.WriteString("name"u8, "output"u8);
            writer.WritePropertyName("schema"u8);
            schema.WriteTo(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
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

    /// <summary>System text (the top-level prompt, or a system message's content): a string, or its text blocks joined by blank lines.</summary>
    public static string SystemText(JsonElement system) => system.ValueKind switch
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
        var turns = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (MessagesContent.Check(message, $"messages[{index}]") is { } problem)
            {
                return problem;
            }

            turns += message.GetProperty("role").ValueEquals("system"u8) ? 0 : 1;
            index++;
        }

        if (turns == 0)
        {
            return GatewayError.Invalid("'messages' needs at least one 'user' or 'assistant' turn; system text alone is not a conversation.", "messages");
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

        return Range(root, "temperature", 0, 1) ?? Range(root, "top_p", 0, 1) ?? MessagesTools.Check(root) ?? OutputFormat(root, out _);
    }

    /// <summary>
    /// The structured output a request asks for: <c>output_config.format</c>, or the older beta's top-level
    /// <c>output_format</c>; each a <c>json_schema</c> format with its <c>schema</c>. It changes the answer, so a
    /// translation carries it (as <c>response_format</c>) or refuses it; never drops it.
    /// </summary>
    private static GatewayError? OutputFormat(JsonElement root, out JsonElement schema)
    {
        schema = default;
        var (format, at) = root.TryGetProperty("output_config", out var config) && config.ValueKind == JsonValueKind.Object
            && config.TryGetProperty("format", out var configured) && configured.ValueKind != JsonValueKind.Null
                ? (configured, "output_config.format")
                : root.TryGetProperty("output_format", out var beta) && beta.ValueKind != JsonValueKind.Null ? (beta, "output_format") : (default(JsonElement), "");
        if (format.ValueKind == JsonValueKind.Undefined)
        {
            return null;
        }

        if (format.ValueKind != JsonValueKind.Object || !format.TryGetProperty("type", out var type) || !type.ValueEquals("json_schema"u8)
            || !format.TryGetProperty("schema", out schema) || schema.ValueKind != JsonValueKind.Object)
        {
            return GatewayError.Invalid($"'{at}' must be {{\"type\": \"json_schema\", \"schema\": {{…}}}}.", at);
        }

        return null;
    }

    private static GatewayError? Range(JsonElement root, string name, double min, double max) =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null
            ? null
            : value.ValueKind != JsonValueKind.Number || value.GetDouble() < min || value.GetDouble() > max
                ? GatewayError.Invalid($"'{name}' must be a number from {min} to {max}.", name)
                : null;
}
