using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Protocols;

namespace LlmTr.Modules.Gateway.Demo;

/// <summary>
/// The built-in model <c>llmtr/demo</c>: the gateway answers it itself, so the API can be tried end to end on a fresh
/// installation without any provider account. Its answer is deterministic; its tokens are counted by words (a stand-in
/// tokenizer) and billed at the catalog's price for the model like any other model's.
/// </summary>
internal static class DemoModel
{
    public const string Id = "llmtr/demo";
    private const int MaxQuoted = 200;

    public static DemoAnswer Answer(ChatRequest request)
    {
        var lastUserText = new StringBuilder(MaxQuoted + 1);
        var text = new StringBuilder(MaxQuoted + 1);
        long promptWords = 0;
        foreach (var message in request.Messages.EnumerateArray())
        {
            text.Clear();
            promptWords += 3 + MessageWords(message, text);
            if (message.GetProperty("role").ValueEquals("user"))
            {
                lastUserText.Clear().Append(text);
            }
        }

        var quoted = lastUserText.Length > MaxQuoted ? lastUserText.ToString(0, MaxQuoted) + "…" : lastUserText.ToString();
        var reply = $"Hello from LLMTR's built-in demo model. It answers inside the gateway, without any provider, so you can try the API end to end. You said: \"{quoted.Trim()}\"";
        var pieces = reply.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select((word, i) => i == 0 ? word : " " + word).ToList();
        var finish = "stop";
        if (request.MaxTokens is { } max && pieces.Count > max)
        {
            pieces = pieces[..max];
            finish = "length";
        }

        return new DemoAnswer(pieces, finish, new UsageCounts(promptWords, pieces.Count));
    }

    /// <summary>
    /// The words of a message's text (its string content, or its text parts each followed by a space), with the first
    /// characters of that text in <paramref name="start"/>. Read from the request's own UTF-8, never copied into a
    /// string: a 19 MB message costs no memory here (splitting it into strings once cost twelve times its size).
    /// </summary>
    private static long MessageWords(JsonElement message, StringBuilder start)
    {
        if (!message.TryGetProperty("content", out var content))
        {
            return 0;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return StringWords(content, start);
        }

        long words = 0;
        if (content.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in content.EnumerateArray())
            {
                if (part.TryGetProperty("text", out var value) && value.ValueKind == JsonValueKind.String)
                {
                    words += StringWords(value, start);
                    Keep(start, ' ');
                }
            }
        }

        return words;
    }

    /// <summary>
    /// Whitespace-separated words of a JSON string, counted as <see cref="string.Split(char[])"/> would count them in
    /// the decoded text, by walking its raw UTF-8 and escapes (the document has already checked both).
    /// </summary>
    private static long StringWords(JsonElement text, StringBuilder start)
    {
        var raw = JsonMarshal.GetRawUtf8Value(text);
        if (raw is [(byte)'"', .., (byte)'"'] && raw.Length >= 2)
        {
            raw = raw[1..^1]; // the quotes around the value (inside it, a quote is always escaped)
        }

        Span<char> chars = stackalloc char[2];
        long words = 0;
        var inWord = false;
        var i = 0;
        while (i < raw.Length)
        {
            int count;
            if (raw[i] == (byte)'\\' && i + 1 < raw.Length)
            {
                var escaped = raw[i + 1];
                chars[0] = escaped switch
                {
                    (byte)'n' => '\n',
                    (byte)'t' => '\t',
                    (byte)'r' => '\r',
                    (byte)'b' => '\b',
                    (byte)'f' => '\f',
                    (byte)'u' when i + 6 <= raw.Length && ushort.TryParse(raw.Slice(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code) => (char)code,
                    _ => (char)escaped,
                };
                count = 1;
                i += escaped == (byte)'u' ? 6 : 2;
            }
            else
            {
                Rune.DecodeFromUtf8(raw[i..], out var rune, out var consumed);
                count = rune.EncodeToUtf16(chars);
                i += Math.Max(1, consumed);
            }

            for (var c = 0; c < count; c++)
            {
                var space = char.IsWhiteSpace(chars[c]);
                words += !space && !inWord ? 1 : 0;
                inWord = !space;
                Keep(start, chars[c]);
            }
        }

        return words;
    }

    /// <summary>Keeps a character of the text while the quote still needs it (one more than it shows, to know it was cut).</summary>
    private static void Keep(StringBuilder start, char c)
    {
        if (start.Length <= MaxQuoted)
        {
            start.Append(c);
        }
    }
}

/// <summary>The demo model's answer: its text in streamable pieces, why it ended, and its usage.</summary>
internal sealed class DemoAnswer(IReadOnlyList<string> pieces, string finishReason, UsageCounts usage) : ChatCompletion
{
    public IReadOnlyList<string> Pieces { get; } = pieces;

    public string FinishReason { get; } = finishReason;

    public override UsageCounts Usage { get; } = usage;

    public override void WriteTo(Utf8JsonWriter writer, ResponseStamp stamp) =>
        OpenAiCompletionWriter.Write(writer, stamp, string.Concat(Pieces), [], FinishReason, Usage);
}
