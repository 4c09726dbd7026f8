using System.Text.Json;
using LlmTr.Modules.Gateway.Chat;

namespace LlmTr.Modules.Gateway.Protocols.Anthropic;

/// <summary>
/// <c>tools</c> and <c>tool_choice</c>. A function tool becomes <c>{name, description, input_schema}</c>; a tool of
/// any other type is the provider's own (Anthropic's server tools, such as <c>web_search_20250305</c>) and goes up as
/// sent. <c>auto</c>, <c>required</c>, <c>none</c> and a named function map to <c>auto</c>, <c>any</c>, <c>none</c> and
/// <c>tool</c>; <c>parallel_tool_calls: false</c> becomes <c>disable_parallel_tool_use</c>.
/// </summary>
internal static class AnthropicTools
{
    public static void Write(Utf8JsonWriter writer, ChatRequest request, AnswerTool? answer)
    {
        var tools = request.Property("tools") is { ValueKind: JsonValueKind.Array } list && list.GetArrayLength() > 0 ? list : (JsonElement?)null;
        if (tools is null && answer is null)
        {
            return;
        }

        writer.WriteStartArray("tools"u8);
        if (tools is { } declared)
        {
            foreach (var tool in declared.EnumerateArray())
            {
                WriteDeclared(writer, tool);
            }
        }

        if (answer is not null)
        {
            WriteTool(writer, answer.Name, answer.Description, answer.Schema);
        }

        writer.WriteEndArray();
        WriteChoice(writer, request, answer);
    }

    private static void WriteDeclared(Utf8JsonWriter writer, JsonElement tool)
    {
        if (!tool.GetProperty("type").ValueEquals("function"u8))
        {
            tool.WriteTo(writer);
            return;
        }

        var function = tool.GetProperty("function");
        WriteTool(
            writer,
            function.GetProperty("name").GetString()!,
            function.TryGetProperty("description", out var description) && description.ValueKind == JsonValueKind.String ? description.GetString() : null,
            function.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object ? parameters : null);
    }

    private static void WriteTool(Utf8JsonWriter writer, string name, string? description, JsonElement? schema)
    {
        writer.WriteStartObject();
        writer.WriteString("name"u8, name);
        if (description is not null)
        {
            writer.WriteString("description"u8, description);
        }

        // Anthropic requires a schema; OpenAI lets a function without parameters omit it.
        writer.WritePropertyName("input_schema"u8);
        if (schema is { } body)
        {
            body.WriteTo(writer);
        }
        else
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "object"u8);
            writer.WriteStartObject("properties"u8);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteChoice(Utf8JsonWriter writer, ChatRequest request, AnswerTool? answer)
    {
        if (answer is not null)
        {
            writer.WriteStartObject("tool_choice"u8);
            writer.WriteString("type"u8, "tool"u8);
            writer.WriteString("name"u8, answer.Name);
            writer.WriteEndObject();
            return;
        }

        var choice = request.Property("tool_choice");
        var serial = request.Property("parallel_tool_calls") is { ValueKind: JsonValueKind.False };
        if (choice is null && !serial)
        {
            return;
        }

        var function = choice is { ValueKind: JsonValueKind.Object } named ? named.GetProperty("function").GetProperty("name").GetString() : null;
        var type = function is not null ? "tool"
            : choice is { ValueKind: JsonValueKind.String } text && text.ValueEquals("required"u8) ? "any"
            : choice is { ValueKind: JsonValueKind.String } none && none.ValueEquals("none"u8) ? "none"
            : "auto";
        writer.WriteStartObject("tool_choice"u8);
        writer.WriteString("type"u8, type);
        if (function is not null)
        {
            writer.WriteString("name"u8, function);
        }

        // Anthropic's 'none' carries no parallelism setting: with no tool calls there is nothing to serialise.
        if (serial && type != "none")
        {
            writer.WriteBoolean("disable_parallel_tool_use"u8, true);
        }

        writer.WriteEndObject();
    }
}
