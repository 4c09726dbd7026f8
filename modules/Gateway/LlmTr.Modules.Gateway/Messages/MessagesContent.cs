using System.Text;
using System.Text.Json;
using LlmTr.Modules.Gateway.Chat;

namespace LlmTr.Modules.Gateway.Messages;

/// <summary>
/// One turn of a Messages API conversation as OpenAI messages. A user turn's <c>tool_result</c> blocks become
/// <c>tool</c> messages (before the turn's other content, as OpenAI expects the results right after the calls); an
/// assistant turn's <c>tool_use</c> blocks become its tool calls; a system message inside the conversation (which
/// Anthropic accepts as a beta, and Claude Code sends) stays a system message at the same place, its text blocks joined
/// by blank lines.
/// </summary>
internal static class MessagesContent
{
    public static GatewayError? Check(JsonElement message, string path)
    {
        if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String)
        {
            return GatewayError.Invalid($"'{path}' must be an object with a 'role' ('user' or 'assistant') and 'content'.", $"{path}.role");
        }

        if (role.ValueEquals("system"u8))
        {
            return message.TryGetProperty("content", out var text) && text.ValueKind is JsonValueKind.String or JsonValueKind.Array
                ? null
                : GatewayError.Invalid($"'{path}.content' is required: a string or an array of text blocks.", $"{path}.content");
        }

        if (!role.ValueEquals("user"u8) && !role.ValueEquals("assistant"u8))
        {
            return GatewayError.Invalid($"'{role.GetString()}' is not a role at '{path}.role'. Use 'user', 'assistant' or 'system'.", $"{path}.role");
        }

        if (!message.TryGetProperty("content", out var content) || content.ValueKind is not (JsonValueKind.String or JsonValueKind.Array))
        {
            return GatewayError.Invalid($"'{path}.content' is required: a string or an array of content blocks.", $"{path}.content");
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return null;
        }

        var index = 0;
        foreach (var block in content.EnumerateArray())
        {
            var at = $"{path}.content[{index++}]";
            if (block.ValueKind != JsonValueKind.Object || !block.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                return GatewayError.Invalid($"'{at}' must be a content block with a 'type'.", $"{at}.type");
            }

            var problem = type.GetString() switch
            {
                "text" => Require(block, "text", JsonValueKind.String, at),
                "image" or "document" => Require(block, "source", JsonValueKind.Object, at) ?? Source(block.GetProperty("source"), $"{at}.source"),
                "tool_use" => Require(block, "id", JsonValueKind.String, at) ?? Require(block, "name", JsonValueKind.String, at),
                "tool_result" => Require(block, "tool_use_id", JsonValueKind.String, at),
                _ => null,
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    public static void WriteTurn(Utf8JsonWriter writer, JsonElement message)
    {
        var content = message.GetProperty("content");
        if (message.GetProperty("role").ValueEquals("system"u8))
        {
            if (MessagesRequest.SystemText(content) is { Length: > 0 } instructions)
            {
                writer.WriteStartObject();
                writer.WriteString("role"u8, "system"u8);
                writer.WriteString("content"u8, instructions);
                writer.WriteEndObject();
            }

            return;
        }

        var assistant = message.GetProperty("role").ValueEquals("assistant"u8);
        if (content.ValueKind == JsonValueKind.String)
        {
            writer.WriteStartObject();
            writer.WriteString("role"u8, assistant ? "assistant"u8 : "user"u8);
            writer.WriteString("content"u8, content.GetString());
            writer.WriteEndObject();
            return;
        }

        if (assistant)
        {
            WriteAssistant(writer, content);
        }
        else
        {
            WriteUser(writer, content);
        }
    }

    private static void WriteAssistant(Utf8JsonWriter writer, JsonElement blocks)
    {
        var text = new StringBuilder();
        var calls = blocks.EnumerateArray().Where(b => b.GetProperty("type").ValueEquals("tool_use"u8)).ToList();
        foreach (var block in blocks.EnumerateArray().Where(b => b.GetProperty("type").ValueEquals("text"u8)))
        {
            text.Append(block.GetProperty("text").GetString());
        }

        writer.WriteStartObject();
        writer.WriteString("role"u8, "assistant"u8);
        if (text.Length > 0 || calls.Count == 0)
        {
            writer.WriteString("content"u8, text.ToString());
        }

        if (calls.Count > 0)
        {
            writer.WriteStartArray("tool_calls"u8);
            foreach (var call in calls)
            {
                writer.WriteStartObject();
                writer.WriteString("id"u8, call.GetProperty("id").GetString());
                writer.WriteString("type"u8, "function"u8);
                writer.WriteStartObject("function"u8);
                writer.WriteString("name"u8, call.GetProperty("name").GetString());
                writer.WriteString("arguments"u8, call.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Object ? input.GetRawText() : "{}");
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteUser(Utf8JsonWriter writer, JsonElement blocks)
    {
        foreach (var result in blocks.EnumerateArray().Where(b => b.GetProperty("type").ValueEquals("tool_result"u8)))
        {
            writer.WriteStartObject();
            writer.WriteString("role"u8, "tool"u8);
            writer.WriteString("tool_call_id"u8, result.GetProperty("tool_use_id").GetString());
            var text = ResultText(result);
            writer.WriteString("content"u8, result.TryGetProperty("is_error", out var error) && error.ValueKind == JsonValueKind.True ? "Error: " + text : text);
            writer.WriteEndObject();
        }

        var parts = blocks.EnumerateArray().Where(b => b.GetProperty("type").GetString() is "text" or "image" or "document").ToList();
        if (parts.Count == 0)
        {
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("role"u8, "user"u8);
        writer.WriteStartArray("content"u8);
        foreach (var part in parts)
        {
            WritePart(writer, part);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>A tool result's content: a string, or its text blocks joined (OpenAI's tool message carries text).</summary>
    private static string ResultText(JsonElement result) =>
        !result.TryGetProperty("content", out var content) ? ""
        : content.ValueKind == JsonValueKind.String ? content.GetString()!
        : content.ValueKind == JsonValueKind.Array
            ? string.Concat(content.EnumerateArray()
                .Where(b => b.ValueKind == JsonValueKind.Object && b.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                .Select(b => b.GetProperty("text").GetString()))
            : "";

    private static void WritePart(Utf8JsonWriter writer, JsonElement block)
    {
        var type = block.GetProperty("type").GetString();
        if (type == "text")
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "text"u8);
            writer.WriteString("text"u8, block.GetProperty("text").GetString());
            writer.WriteEndObject();
            return;
        }

        var source = block.GetProperty("source");
        var kind = source.TryGetProperty("type", out var k) ? k.GetString() : null;
        var media = source.TryGetProperty("media_type", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        var data = source.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        var url = source.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        writer.WriteStartObject();
        if (type == "document" && kind == "text")
        {
            writer.WriteString("type"u8, "text"u8);
            writer.WriteString("text"u8, data ?? "");
        }
        else if (type == "document" && kind == "base64")
        {
            writer.WriteString("type"u8, "file"u8);
            writer.WriteStartObject("file"u8);
            writer.WriteString("filename"u8, block.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String ? title.GetString() : "document.pdf");
            writer.WriteString("file_data"u8, $"data:{media ?? "application/pdf"};base64,{data}");
            writer.WriteEndObject();
        }
        else
        {
            // An image (base64 or URL), or a document by URL: OpenAI's image_url part carries both kinds of address.
            writer.WriteString("type"u8, "image_url"u8);
            writer.WriteStartObject("image_url"u8);
            writer.WriteString("url"u8, kind == "base64" ? $"data:{media};base64,{data}" : url ?? "");
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>An image's or document's source: its <c>type</c>, and a <c>media_type</c> when there is one, are strings.</summary>
    private static GatewayError? Source(JsonElement source, string at) =>
        Require(source, "type", JsonValueKind.String, at)
        ?? (source.TryGetProperty("media_type", out var media) && media.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)
            ? GatewayError.Invalid($"'{at}.media_type' must be a string such as 'image/png'.", $"{at}.media_type")
            : null);

    private static GatewayError? Require(JsonElement block, string name, JsonValueKind kind, string at) =>
        block.TryGetProperty(name, out var value) && value.ValueKind == kind
            ? null
            : GatewayError.Invalid($"'{at}.{name}' is required ({(kind == JsonValueKind.String ? "a string" : "an object")}).", $"{at}.{name}");
}
