using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LlmTr.Modules.Gateway.Protocols.Gemini;

/// <summary>
/// What one candidate of a response (or of a stream chunk) says: its answer text, the functions it called (each given
/// an OpenAI tool call id, since Gemini's calls have none), and Gemini's reason for stopping, if it did. Thought parts
/// (thought summaries, when asked for through thinkingConfig) are reasoning, not answer, and are left out.
/// </summary>
internal sealed record GeminiCandidate(int Index, string Text, IReadOnlyList<GeminiCall> Calls, string? FinishReason)
{
    /// <summary>The candidates of a response; entries that are not objects are passed over.</summary>
    public static IEnumerable<GeminiCandidate> ReadAll(JsonElement response)
    {
        if (!response.TryGetProperty("candidates", out var candidates) || candidates.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        var position = 0;
        foreach (var candidate in candidates.EnumerateArray())
        {
            if (candidate.ValueKind == JsonValueKind.Object)
            {
                yield return Read(candidate, position);
            }

            position++;
        }
    }

    /// <summary>
    /// A prompt Gemini refused to answer at all (<c>promptFeedback.blockReason</c>, no candidates): told to the client
    /// as OpenAI tells a refusal, with finish reason content_filter, in streams and answers alike.
    /// </summary>
    public static string? BlockedPrompt(JsonElement response) =>
        response.TryGetProperty("promptFeedback", out var feedback) && feedback.ValueKind == JsonValueKind.Object
        && feedback.TryGetProperty("blockReason", out var reason) && reason.ValueKind == JsonValueKind.String
            ? $"The provider blocked this prompt ({reason.GetString()}) and generated no answer."
            : null;

    private static GeminiCandidate Read(JsonElement candidate, int position)
    {
        var index = candidate.TryGetProperty("index", out var number) && number.ValueKind == JsonValueKind.Number && number.TryGetInt32(out var value) ? value : position;
        var text = new StringBuilder();
        var calls = new List<GeminiCall>();
        foreach (var part in Parts(candidate))
        {
            if (part.TryGetProperty("thought", out var thought) && thought.ValueKind == JsonValueKind.True)
            {
                continue;
            }

            if (part.TryGetProperty("text", out var piece) && piece.ValueKind == JsonValueKind.String)
            {
                text.Append(piece.GetString());
            }
            else if (part.TryGetProperty("functionCall", out var call) && call.ValueKind == JsonValueKind.Object
                && call.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
            {
                calls.Add(new GeminiCall(GeminiCall.NewId(), name.GetString()!, GeminiCall.ArgumentsOf(call)));
            }
        }

        var finish = candidate.TryGetProperty("finishReason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null;
        return new GeminiCandidate(index, text.ToString(), calls, finish);
    }

    private static IEnumerable<JsonElement> Parts(JsonElement candidate) =>
        candidate.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Object
        && content.TryGetProperty("parts", out var parts) && parts.ValueKind == JsonValueKind.Array
            ? parts.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.Object)
            : [];
}

/// <summary>A function the model called, as an OpenAI tool call: an id, the name and the arguments as JSON text.</summary>
internal sealed record GeminiCall(string Id, string Name, string Arguments)
{
    // Text stays as the model wrote it (Turkish letters unescaped): this is a JSON string inside the answer, not HTML.
    private static readonly JsonWriterOptions CompactJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string NewId() => "call_" + Guid.NewGuid().ToString("N")[..24];

    /// <summary>
    /// A <c>functionCall</c>'s <c>args</c> as OpenAI's arguments text: written compactly, as OpenAI writes them, whatever
    /// whitespace Google's JSON had (its answers come pretty-printed, its stream events on one line), so the same call
    /// reads the same streamed and not. Args that are missing or not an object are <c>{}</c>.
    /// </summary>
    public static string ArgumentsOf(JsonElement functionCall)
    {
        if (!functionCall.TryGetProperty("args", out var args) || args.ValueKind != JsonValueKind.Object)
        {
            return "{}";
        }

        var buffer = new ArrayBufferWriter<byte>(JsonMarshal.GetRawUtf8Value(args).Length);
        using (var writer = new Utf8JsonWriter(buffer, CompactJson))
        {
            args.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteString("id"u8, Id);
        writer.WriteString("type"u8, "function"u8);
        writer.WriteStartObject("function"u8);
        writer.WriteString("name"u8, Name);
        writer.WriteString("arguments"u8, Arguments);
        writer.WriteEndObject();
    }
}
