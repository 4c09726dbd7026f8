using System.Text.Json;
using LlmTr.Modules.Gateway.Chat;

namespace LlmTr.Modules.Gateway.Messages;

/// <summary>
/// Custom tools (<c>name</c>, <c>description</c>, <c>input_schema</c>) as OpenAI function tools, and Anthropic's tool
/// choice (<c>auto</c>, <c>any</c>, <c>tool</c>, <c>none</c>, <c>disable_parallel_tool_use</c>) as OpenAI's. Anthropic's
/// server tools (a <c>type</c> such as <c>web_search_20250305</c>) have no OpenAI counterpart and reach only models whose
/// provider speaks the Messages API.
/// </summary>
internal static class MessagesTools
{
    public static GatewayError? Check(JsonElement root)
    {
        if (root.TryGetProperty("tools", out var tools) && tools.ValueKind != JsonValueKind.Null)
        {
            if (tools.ValueKind != JsonValueKind.Array)
            {
                return GatewayError.Invalid("'tools' must be an array of tool definitions.", "tools");
            }

            var index = 0;
            foreach (var tool in tools.EnumerateArray())
            {
                if (tool.ValueKind != JsonValueKind.Object || !tool.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
                {
                    return GatewayError.Invalid($"'tools[{index}]' must be an object with a 'name'.", $"tools[{index}].name");
                }

                if (IsCustom(tool) && (!tool.TryGetProperty("input_schema", out var schema) || schema.ValueKind != JsonValueKind.Object))
                {
                    return GatewayError.Invalid($"'tools[{index}].input_schema' is required: a JSON schema object.", $"tools[{index}].input_schema");
                }

                index++;
            }
        }

        if (!root.TryGetProperty("tool_choice", out var choice) || choice.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (choice.ValueKind != JsonValueKind.Object || !choice.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
            || type.GetString() is not ("auto" or "any" or "tool" or "none"))
        {
            return GatewayError.Invalid("'tool_choice' must be an object whose 'type' is 'auto', 'any', 'tool' or 'none'.", "tool_choice");
        }

        return type.ValueEquals("tool"u8) && (!choice.TryGetProperty("name", out var chosen) || chosen.ValueKind != JsonValueKind.String)
            ? GatewayError.Invalid("'tool_choice' of type 'tool' needs the tool's 'name'.", "tool_choice.name")
            : null;
    }

    public static void Write(Utf8JsonWriter writer, JsonElement root)
    {
        if (!root.TryGetProperty("tools", out var tools) || tools.ValueKind != JsonValueKind.Array || !tools.EnumerateArray().Any(IsCustom))
        {
            return;
        }

        writer.WriteStartArray("tools"u8);
        foreach (var tool in tools.EnumerateArray().Where(IsCustom))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "function"u8);
            writer.WriteStartObject("function"u8);
            writer.WriteString("name"u8, tool.GetProperty("name").GetString());
            if (tool.TryGetProperty("description", out var description) && description.ValueKind == JsonValueKind.String)
            {
                writer.WriteString("description"u8, description.GetString());
            }

            writer.WritePropertyName("parameters"u8);
            tool.GetProperty("input_schema").WriteTo(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (!root.TryGetProperty("tool_choice", out var choice) || choice.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        switch (choice.GetProperty("type").GetString())
        {
            case "auto":
                writer.WriteString("tool_choice"u8, "auto"u8);
                break;
            case "any":
                writer.WriteString("tool_choice"u8, "required"u8);
                break;
            case "none":
                writer.WriteString("tool_choice"u8, "none"u8);
                break;
            case "tool":
                writer.WriteStartObject("tool_choice"u8);
                writer.WriteString("type"u8, "function"u8);
                writer.WriteStartObject("function"u8);
                writer.WriteString("name"u8, choice.GetProperty("name").GetString());
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
        }

        if (choice.TryGetProperty("disable_parallel_tool_use", out var serial) && serial.ValueKind == JsonValueKind.True)
        {
            writer.WriteBoolean("parallel_tool_calls"u8, false);
        }
    }

    /// <summary>A tool the client runs itself: no type, or <c>custom</c>.</summary>
    private static bool IsCustom(JsonElement tool) =>
        !tool.TryGetProperty("type", out var type) || type.ValueKind == JsonValueKind.Null || type.ValueEquals("custom"u8);
}
