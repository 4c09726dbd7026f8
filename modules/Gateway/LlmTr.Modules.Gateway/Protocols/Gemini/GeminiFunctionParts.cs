using System.Text.Json;

namespace LlmTr.Modules.Gateway.Protocols.Gemini;

/// <summary>
/// The tool-call round trip in Gemini's terms: an assistant's tool calls become <c>functionCall</c> parts of a model
/// turn, and each tool result a <c>functionResponse</c> part of a user turn, named after the function it answers.
/// </summary>
internal static class GeminiFunctionParts
{
    /// <summary>
    /// Gemini 3 refuses a replayed function call without the thought signature it was returned with. OpenAI's format has
    /// no place to keep one (clients echo only the call's id, name and arguments), so every replayed step carries the
    /// value Google documents for history it cannot sign: the model loses its earlier reasoning, not the conversation.
    /// Gemini wants a signature on the first function call of each step only.
    /// </summary>
    public const string UnsignedHistory = "skip_thought_signature_validator";

    /// <summary>A <c>functionCall</c> part; <paramref name="arguments"/> is OpenAI's JSON text, which Gemini wants as an object.</summary>
    public static void Call(GeminiTurns turns, JsonElement name, JsonElement arguments, bool firstOfStep)
    {
        var writer = turns.BeginPart("model");
        writer.WriteStartObject("functionCall"u8);
        writer.WritePropertyName("name"u8);
        name.WriteTo(writer);
        writer.WritePropertyName("args"u8);
        WriteObject(writer, arguments.ValueKind == JsonValueKind.String ? arguments.GetString()! : "", wrapOthers: false);
        writer.WriteEndObject();
        if (firstOfStep)
        {
            writer.WriteString("thoughtSignature"u8, UnsignedHistory);
        }

        turns.EndPart();
    }

    /// <summary>
    /// A <c>functionResponse</c> part. Gemini's <c>response</c> must be an object: a tool result that is a JSON object
    /// goes as it is; any other JSON, or plain text, is wrapped as <c>{"result": …}</c>.
    /// </summary>
    public static void Response(GeminiTurns turns, string name, JsonElement content)
    {
        var writer = turns.BeginPart("user");
        writer.WriteStartObject("functionResponse"u8);
        writer.WriteString("name"u8, name);
        writer.WritePropertyName("response"u8);
        WriteObject(writer, TextOf(content), wrapOthers: true);
        writer.WriteEndObject();
        turns.EndPart();
    }

    /// <summary>
    /// The functions the assistant called, by call id: a tool result names only the call, Gemini wants the function.
    /// </summary>
    public static Dictionary<string, string> NamesByCallId(JsonElement messages)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var message in messages.EnumerateArray())
        {
            if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in calls.EnumerateArray())
                {
                    names[call.GetProperty("id").GetString()!] = call.GetProperty("function").GetProperty("name").GetString()!;
                }
            }
        }

        return names;
    }

    /// <summary>The JSON object <paramref name="json"/> holds; otherwise <c>{"result": …}</c> (when wrapping) or <c>{}</c>.</summary>
    private static void WriteObject(Utf8JsonWriter writer, string json, bool wrapOthers)
    {
        using var document = TryParse(json);
        if (document?.RootElement is { ValueKind: JsonValueKind.Object } value)
        {
            value.WriteTo(writer);
            return;
        }

        writer.WriteStartObject();
        if (wrapOthers)
        {
            writer.WritePropertyName("result"u8);
            if (document is not null)
            {
                document.RootElement.WriteTo(writer);
            }
            else
            {
                writer.WriteStringValue(json);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Parses objects and arrays; anything else (plain text, a bare number) stays text.</summary>
    private static JsonDocument? TryParse(string json)
    {
        var trimmed = json.AsSpan().TrimStart();
        if (trimmed.IsEmpty || trimmed[0] is not ('{' or '['))
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A tool message's content: a string, or the text of its parts.</summary>
    private static string TextOf(JsonElement content) => content.ValueKind switch
    {
        JsonValueKind.String => content.GetString()!,
        JsonValueKind.Array => string.Concat(content.EnumerateArray()
            .Where(p => p.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
            .Select(p => p.GetProperty("text").GetString())),
        _ => "",
    };
}
