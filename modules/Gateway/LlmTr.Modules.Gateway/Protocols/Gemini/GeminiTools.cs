using System.Text.Json;
using LlmTr.Modules.Gateway.Chat;

namespace LlmTr.Modules.Gateway.Protocols.Gemini;

/// <summary>
/// OpenAI's function tools as one Gemini tool of <c>functionDeclarations</c>, and <c>tool_choice</c> as
/// <c>toolConfig.functionCallingConfig</c>: none → NONE, auto → AUTO, required → ANY, a named function → ANY limited to
/// it. Tools of other types (a provider's own, such as <c>web_search</c>) have no Gemini counterpart here and are
/// left out; <c>parallel_tool_calls</c> has none either (Gemini decides).
/// </summary>
internal static class GeminiTools
{
    public static void Write(Utf8JsonWriter writer, ChatRequest request)
    {
        if (request.Property("tools") is not { ValueKind: JsonValueKind.Array } tools)
        {
            return;
        }

        var declared = false;
        foreach (var tool in tools.EnumerateArray())
        {
            if (!tool.GetProperty("type").ValueEquals("function"u8))
            {
                continue;
            }

            if (!declared)
            {
                writer.WriteStartArray("tools"u8);
                writer.WriteStartObject();
                writer.WriteStartArray("functionDeclarations"u8);
                declared = true;
            }

            Declaration(writer, tool.GetProperty("function"));
        }

        if (declared)
        {
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
            ToolConfig(writer, request.Property("tool_choice"));
        }
    }

    private static void Declaration(Utf8JsonWriter writer, JsonElement function)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("name"u8);
        function.GetProperty("name").WriteTo(writer);
        if (function.TryGetProperty("description", out var description) && description.ValueKind == JsonValueKind.String)
        {
            writer.WritePropertyName("description"u8);
            description.WriteTo(writer);
        }

        // A function without parameters declares none: Gemini rejects an object schema with no properties.
        if (function.TryGetProperty("parameters", out var parameters) && GeminiSchema.HasProperties(parameters))
        {
            writer.WritePropertyName("parameters"u8);
            GeminiSchema.Write(writer, parameters);
        }

        writer.WriteEndObject();
    }

    private static void ToolConfig(Utf8JsonWriter writer, JsonElement? choice)
    {
        if (choice is not { } value)
        {
            return;
        }

        writer.WriteStartObject("toolConfig"u8);
        writer.WriteStartObject("functionCallingConfig"u8);
        if (value.ValueKind == JsonValueKind.Object)
        {
            writer.WriteString("mode"u8, "ANY"u8);
            writer.WriteStartArray("allowedFunctionNames"u8);
            value.GetProperty("function").GetProperty("name").WriteTo(writer);
            writer.WriteEndArray();
        }
        else
        {
            writer.WriteString("mode"u8, value.GetString() switch
            {
                "none" => "NONE",
                "required" => "ANY",
                _ => "AUTO",
            });
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
