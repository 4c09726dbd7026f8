using System.Text.Json;

namespace LlmTr.Modules.Gateway.Protocols.Gemini;

/// <summary>
/// OpenAI's messages as Gemini's <c>systemInstruction</c> and <c>contents</c>. Gemini has one system instruction, so
/// every system and developer message goes into it, in order, wherever it stood; users and tool results speak in
/// <c>user</c> turns, the assistant in <c>model</c> turns.
/// </summary>
internal static class GeminiContents
{
    public static void Write(Utf8JsonWriter writer, JsonElement messages)
    {
        WriteSystemInstruction(writer, messages);
        Dictionary<string, string>? functionNames = null;
        var turns = new GeminiTurns(writer);
        writer.WriteStartArray("contents"u8);
        foreach (var message in messages.EnumerateArray())
        {
            message.TryGetProperty("content", out var content);
            switch (message.GetProperty("role").GetString())
            {
                case "user":
                    GeminiParts.Write(turns, "user", content);
                    break;
                case "assistant":
                    GeminiParts.Write(turns, "model", content);
                    WriteCalls(turns, message);
                    break;
                case "tool":
                    functionNames ??= GeminiFunctionParts.NamesByCallId(messages);
                    var callId = message.GetProperty("tool_call_id").GetString()!;
                    GeminiFunctionParts.Response(turns, functionNames.GetValueOrDefault(callId) ?? NameOf(message) ?? callId, content);
                    break;
                case "function":
                    GeminiFunctionParts.Response(turns, NameOf(message) ?? "function", content);
                    break;
            }
        }

        turns.End();
        writer.WriteEndArray();
    }

    private static void WriteSystemInstruction(Utf8JsonWriter writer, JsonElement messages)
    {
        var instruction = new GeminiTurns(writer, systemInstruction: true);
        foreach (var message in messages.EnumerateArray())
        {
            var role = message.GetProperty("role");
            if (role.ValueEquals("system"u8) || role.ValueEquals("developer"u8))
            {
                GeminiParts.Write(instruction, "system", message.GetProperty("content"));
            }
        }

        instruction.End();
    }

    private static void WriteCalls(GeminiTurns turns, JsonElement message)
    {
        if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            var first = true;
            foreach (var call in calls.EnumerateArray())
            {
                var function = call.GetProperty("function");
                GeminiFunctionParts.Call(turns, function.GetProperty("name"), Arguments(function), first);
                first = false;
            }
        }
        else if (message.TryGetProperty("function_call", out var legacy) && legacy.ValueKind == JsonValueKind.Object)
        {
            GeminiFunctionParts.Call(turns, legacy.GetProperty("name"), Arguments(legacy), firstOfStep: true);
        }
    }

    private static JsonElement Arguments(JsonElement function) => function.TryGetProperty("arguments", out var arguments) ? arguments : default;

    private static string? NameOf(JsonElement message) =>
        message.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
}
