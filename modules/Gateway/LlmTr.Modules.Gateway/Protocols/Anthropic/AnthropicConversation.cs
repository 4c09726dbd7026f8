using System.Text.Json;

namespace LlmTr.Modules.Gateway.Protocols.Anthropic;

/// <summary>
/// OpenAI's message list as the Messages API's <c>system</c> and <c>messages</c>. System and developer messages,
/// wherever they stand, join the top-level system prompt. The rest become strictly alternating user and assistant
/// turns: consecutive messages of one role merge into one turn, tool results become <c>tool_result</c> blocks of a user
/// turn, and messages that would produce no content block (Anthropic refuses empty text) are left out.
/// </summary>
internal static class AnthropicConversation
{
    public static void Write(Utf8JsonWriter writer, JsonElement messages, string? instruction)
    {
        WriteSystem(writer, messages, instruction);
        writer.WriteStartArray("messages"u8);
        string? open = null;
        foreach (var message in messages.EnumerateArray())
        {
            var role = Role(message);
            if (role is null || !HasBlocks(message))
            {
                continue;
            }

            if (role != open)
            {
                if (open is not null)
                {
                    EndTurn(writer);
                }

                writer.WriteStartObject();
                writer.WriteString("role"u8, role);
                writer.WriteStartArray("content"u8);
                open = role;
            }

            WriteBlocks(writer, message);
        }

        if (open is not null)
        {
            EndTurn(writer);
        }

        writer.WriteEndArray();
    }

    private static void WriteSystem(Utf8JsonWriter writer, JsonElement messages, string? instruction)
    {
        var started = false;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.GetProperty("role").ValueEquals("system"u8) || message.GetProperty("role").ValueEquals("developer"u8))
            {
                foreach (var part in TextParts(message))
                {
                    Start(writer, ref started);
                    AnthropicContent.WritePart(writer, part);
                }
            }
        }

        if (instruction is not null)
        {
            Start(writer, ref started);
            AnthropicContent.WriteText(writer, instruction);
        }

        if (started)
        {
            writer.WriteEndArray();
        }

        static void Start(Utf8JsonWriter writer, ref bool started)
        {
            if (!started)
            {
                writer.WriteStartArray("system"u8);
                started = true;
            }
        }
    }

    /// <summary>The Anthropic role a message belongs to, or null for one that is not part of the turns.</summary>
    private static string? Role(JsonElement message)
    {
        var role = message.GetProperty("role");
        return role.ValueEquals("user"u8) || role.ValueEquals("tool"u8) ? "user"
            : role.ValueEquals("assistant"u8) ? "assistant"
            : null;
    }

    private static bool HasBlocks(JsonElement message)
    {
        if (message.GetProperty("role").ValueEquals("tool"u8))
        {
            return true;
        }

        if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array && calls.GetArrayLength() > 0)
        {
            return true;
        }

        return message.TryGetProperty("content", out var content) && AnthropicContent.HasBlocks(content);
    }

    private static void WriteBlocks(Utf8JsonWriter writer, JsonElement message)
    {
        if (message.GetProperty("role").ValueEquals("tool"u8))
        {
            WriteToolResult(writer, message);
            return;
        }

        if (message.TryGetProperty("content", out var content))
        {
            AnthropicContent.WriteBlocks(writer, content);
        }

        if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in calls.EnumerateArray())
            {
                WriteToolUse(writer, call);
            }
        }
    }

    /// <summary>An assistant's tool call: Anthropic wants the arguments as a JSON object, OpenAI carries them as a string.</summary>
    private static void WriteToolUse(Utf8JsonWriter writer, JsonElement call)
    {
        var function = call.GetProperty("function");
        writer.WriteStartObject();
        writer.WriteString("type"u8, "tool_use"u8);
        writer.WriteString("id"u8, AnthropicToolIds.Of(call.GetProperty("id").GetString()!));
        writer.WriteString("name"u8, function.GetProperty("name").GetString());
        writer.WritePropertyName("input"u8);
        WriteArguments(writer, function.TryGetProperty("arguments", out var arguments) && arguments.ValueKind == JsonValueKind.String ? arguments.GetString()! : "");
        writer.WriteEndObject();
    }

    /// <summary>The arguments object; arguments that are empty or not a JSON object (a model's broken output sent back) go up as <c>{}</c>.</summary>
    private static void WriteArguments(Utf8JsonWriter writer, string arguments)
    {
        if (!string.IsNullOrWhiteSpace(arguments))
        {
            try
            {
                using var parsed = JsonDocument.Parse(arguments);
                if (parsed.RootElement.ValueKind == JsonValueKind.Object)
                {
                    parsed.RootElement.WriteTo(writer);
                    return;
                }
            }
            catch (JsonException)
            {
                // Falls through to the empty object.
            }
        }

        writer.WriteStartObject();
        writer.WriteEndObject();
    }

    private static void WriteToolResult(Utf8JsonWriter writer, JsonElement message)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "tool_result"u8);
        writer.WriteString("tool_use_id"u8, AnthropicToolIds.Of(message.GetProperty("tool_call_id").GetString()!));
        var content = message.GetProperty("content");
        if (AnthropicContent.HasBlocks(content))
        {
            writer.WritePropertyName("content"u8);
            writer.WriteStartArray();
            AnthropicContent.WriteBlocks(writer, content);
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>The text of a system or developer message: the string itself, or its text parts.</summary>
    private static IEnumerable<JsonElement> TextParts(JsonElement message)
    {
        var content = message.GetProperty("content");
        if (content.ValueKind == JsonValueKind.String)
        {
            if (content.GetString()!.Length > 0)
            {
                yield return content;
            }

            yield break;
        }

        foreach (var part in content.EnumerateArray())
        {
            if (part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String && text.GetString()!.Length > 0)
            {
                yield return part;
            }
        }
    }

    private static void EndTurn(Utf8JsonWriter writer)
    {
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
