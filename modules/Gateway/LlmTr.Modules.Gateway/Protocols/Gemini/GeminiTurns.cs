using System.Text.Json;

namespace LlmTr.Modules.Gateway.Protocols.Gemini;

/// <summary>
/// Writes the <c>contents</c> array part by part. Gemini wants the roles to alternate, so consecutive parts of one role
/// (several tool results, a user message after them, two assistant messages) go into one content; a message that
/// yields no part opens no content (Gemini rejects empty ones). For the system instruction it writes the one
/// <c>systemInstruction</c> content instead, without a role, and only if some part is written.
/// </summary>
/// <remarks>
/// Gemini's turn rules, as Google documents and enforces them: a content is one message of a <c>user</c> or a
/// <c>model</c>, made of parts that may differ in kind; tool results go back as <c>functionResponse</c> parts of a
/// user-role content, all the results of one step in that one content; a function call turn must come right after a
/// user turn or a function response turn, and a function response turn right after the function call turn, with one
/// response part per call (400 INVALID_ARGUMENT otherwise); and two contents of one role in a row are refused
/// ("multiturn requests alternate between user and model"). A user message that follows tool results is therefore not
/// a turn of its own: its parts join the function response turn, after the <c>functionResponse</c> parts, which keeps
/// every rule above.
/// </remarks>
internal sealed class GeminiTurns(Utf8JsonWriter writer, bool systemInstruction = false)
{
    private string? _role;

    public Utf8JsonWriter Writer => writer;

    /// <summary>Opens a part object in a turn of <paramref name="role"/> (<c>user</c> or <c>model</c>); close it with <see cref="EndPart"/>.</summary>
    public Utf8JsonWriter BeginPart(string role)
    {
        if (_role != role)
        {
            End();
            if (systemInstruction)
            {
                writer.WritePropertyName("systemInstruction"u8);
            }

            writer.WriteStartObject();
            if (!systemInstruction)
            {
                writer.WriteString("role"u8, role);
            }

            writer.WriteStartArray("parts"u8);
            _role = role;
        }

        writer.WriteStartObject();
        return writer;
    }

    public void EndPart() => writer.WriteEndObject();

    /// <summary>A text part copied from the request as it is; an empty text makes no part.</summary>
    public void Text(string role, JsonElement text)
    {
        if (text.ValueKind != JsonValueKind.String || text.ValueEquals(""u8))
        {
            return;
        }

        BeginPart(role).WritePropertyName("text"u8);
        text.WriteTo(writer);
        EndPart();
    }

    /// <summary>Closes the last turn.</summary>
    public void End()
    {
        if (_role is not null)
        {
            writer.WriteEndArray();
            writer.WriteEndObject();
            _role = null;
        }
    }
}
