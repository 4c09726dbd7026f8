using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.SharedKernel;

namespace LlmTr.Modules.Gateway.Demo;

/// <summary>
/// The built-in model <c>llmtr/demo</c>: the gateway answers it itself, so the API can be tried end to end on a fresh
/// installation without any provider account. Its answer is deterministic; its tokens are counted by words (a stand-in
/// tokenizer) and billed at the catalog's price for the model like any other model's. It takes what its catalog entry
/// advertises, as a real model would, so agents can run against it:
/// <list type="bullet">
/// <item>Tools: when the last message is a user message and <c>tool_choice</c> is not <c>none</c>, it calls the function
/// tool whose name appears first in that message's text (exactly as declared, as a whole word); <c>tool_choice</c>
/// naming a function calls that one, and <c>required</c> falls back to the first function tool. The arguments are the
/// smallest valid instance of the tool's <c>parameters</c> (<see cref="DemoSchema"/>), strings being the words that
/// follow the tool's name in the message ("demo" when none do). After a tool result (the last message is a
/// <c>tool</c> message) it answers text quoting the result, so an agent's loop ends. One call per answer.</item>
/// <item><c>response_format</c>: <c>json_object</c> answers <c>{"message": …}</c>; <c>json_schema</c> the smallest
/// instance of the schema, strings quoting the user's last message; a schema it cannot satisfy is a 400.</item>
/// <item><c>n</c> identical choices; <c>stop</c> cuts a text answer before the first stop sequence (finish_reason
/// <c>stop</c>); <c>max_tokens</c> cuts any answer (finish_reason <c>length</c>).</item>
/// <item>Context: the prompt counts a token per word of each message's text and its tool call arguments, 3 per
/// message, and one per 4 bytes of the <c>tools</c> definitions as sent. A prompt plus the requested
/// <c>max_tokens</c> beyond the catalog's context length is a 400 <c>context_length_exceeded</c>.</item>
/// </list>
/// </summary>
internal static class DemoModel
{
    public const string Id = "llmtr/demo";
    private const int MaxQuoted = 200;

    /// <summary>Characters of tool call arguments per streamed piece (and per counted token).</summary>
    public const int ArgumentPiece = 12;

    /// <summary>The default string value of tool arguments when no words follow the tool's name.</summary>
    public const string DefaultArgument = "demo";

    public static DemoAnswer? Answer(ChatRequest request, CatalogModel model, out GatewayError? refusal) =>
        Answer(request, model.Id, model.ContextLength, model.MaxOutputTokens ?? model.ContextLength, out refusal);

    public static DemoAnswer? Answer(ChatRequest request, string modelId, int contextLength, int maxOutput, out GatewayError? refusal)
    {
        var lastUserText = new StringBuilder(MaxQuoted + 1);
        var text = new StringBuilder(MaxQuoted + 1);
        long promptWords = 0;
        JsonElement lastUser = default;
        var lastRole = "";
        var priorCalls = 0;
        foreach (var message in request.Messages.EnumerateArray())
        {
            text.Clear();
            promptWords += 3 + MessageWords(message, text);
            lastRole = message.GetProperty("role").GetString() ?? "";
            if (lastRole == "user")
            {
                lastUserText.Clear().Append(text);
                lastUser = message;
            }

            if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in calls.EnumerateArray())
                {
                    priorCalls++;
                    if (call.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object
                        && function.TryGetProperty("arguments", out var arguments) && arguments.ValueKind == JsonValueKind.String)
                    {
                        promptWords += 1 + StringWords(arguments, new StringBuilder());
                    }
                }
            }
        }

        var tools = request.Property("tools") is { ValueKind: JsonValueKind.Array } t ? t : default;
        var prompt = promptWords + (tools.ValueKind == JsonValueKind.Array ? (JsonMarshal.GetRawUtf8Value(tools).Length + 3L) / 4 : 0);
        if (prompt + (request.MaxTokens ?? 0) > contextLength)
        {
            refusal = GatewayError.Of(ApiErrors.ContextLengthExceeded,
                $"This request needs {prompt} prompt tokens{(request.MaxTokens is { } asked ? $" plus the {asked} output tokens of max_tokens" : "")}, "
                + $"more than the {contextLength}-token context of '{modelId}'. Shorten the messages or tools, or lower max_tokens.", "messages");
            return null;
        }

        var limit = Math.Min(request.MaxTokens ?? maxOutput, maxOutput);
        var quoted = Quote(lastUserText);
        DemoChoice choice;
        if (lastRole == "tool")
        {
            choice = TextChoice(request, $"The tool answered: \"{Quote(text)}\". That ends the demo model's turn.", quoted, limit, out refusal);
        }
        else if (lastRole == "user" && ToolToCall(request, tools, lastUser) is var (name, parameters, after))
        {
            var arguments = DemoSchema.Instance(parameters, after.Length > 0 ? after : DefaultArgument, strict: false, out _) ?? "{}";
            choice = CallChoice($"call_demo_{priorCalls + 1}", name, arguments, limit);
            refusal = null;
        }
        else
        {
            choice = TextChoice(request,
                $"Hello from LLMTR's built-in demo model. It answers inside the gateway, without any provider, so you can try the API end to end. You said: \"{quoted}\"",
                quoted, limit, out refusal);
        }

        if (refusal is not null)
        {
            return null;
        }

        var n = request.Number("n") is { } count && count >= 1 ? (int)count : 1;
        var choices = Enumerable.Range(0, n).Select(i => i == 0 || choice.Call is null ? choice : choice with { Call = choice.Call with { Id = $"{choice.Call.Id}_{i}" } }).ToList();
        return new DemoAnswer(choices, new UsageCounts(prompt, choices.Sum(c => (long)c.Tokens)));
    }

    private static string Quote(StringBuilder text) =>
        (text.Length > MaxQuoted ? text.ToString(0, MaxQuoted) + "…" : text.ToString()).Trim();

    /// <summary>A text answer in the requested format, cut at a stop sequence (plain text only) and at the token limit.</summary>
    private static DemoChoice TextChoice(ChatRequest request, string reply, string quoted, int limit, out GatewayError? refusal)
    {
        refusal = null;
        var format = request.Property("response_format") is { ValueKind: JsonValueKind.Object } f && f.TryGetProperty("type", out var type) ? type.GetString() : null;
        var finish = "stop";
        if (format == "json_object")
        {
            reply = JsonSerializer.Serialize(new Dictionary<string, string> { ["message"] = reply }, JsonOptions);
        }
        else if (format == "json_schema")
        {
            var spec = request.Property("response_format")!.Value.GetProperty("json_schema");
            var schema = spec.TryGetProperty("schema", out var s) ? s : default;
            var json = DemoSchema.Instance(schema, quoted.Length > 0 ? quoted : DefaultArgument, strict: true, out var problem);
            if (json is null)
            {
                refusal = GatewayError.Of(ApiErrors.UnsupportedFeature,
                    $"The demo model cannot produce a value for this JSON schema: {problem}. Simplify the schema, or try a provider's model.",
                    "response_format.json_schema.schema");
                return null!;
            }

            reply = json;
        }
        else
        {
            var cut = -1;
            foreach (var stop in request.StopSequences)
            {
                var at = stop.Length > 0 ? reply.IndexOf(stop, StringComparison.Ordinal) : -1;
                cut = at >= 0 && (cut < 0 || at < cut) ? at : cut;
            }

            reply = cut >= 0 ? reply[..cut] : reply;
        }

        var pieces = Pieces(reply);
        if (pieces.Count > limit)
        {
            pieces = pieces[..limit];
            finish = "length";
        }

        return new DemoChoice(pieces, null, finish, pieces.Count);
    }

    private static DemoChoice CallChoice(string id, string name, string arguments, int limit)
    {
        var pieces = new List<string>();
        for (var i = 0; i < arguments.Length;)
        {
            var length = Math.Min(ArgumentPiece, arguments.Length - i);
            if (i + length < arguments.Length && char.IsHighSurrogate(arguments[i + length - 1]))
            {
                length--;
            }

            pieces.Add(arguments.Substring(i, length));
            i += length;
        }

        // A call costs a token for its name and one per piece of its arguments.
        var finish = "tool_calls";
        if (1 + pieces.Count > limit)
        {
            pieces = pieces[..Math.Max(limit - 1, 0)];
            finish = "length";
        }

        return new DemoChoice(pieces, new OpenAiToolCall(id, name, ""), finish, 1 + pieces.Count);
    }

    /// <summary>Text in pieces of one word each, with the whitespace before it: the pieces put back together are the text.</summary>
    internal static List<string> Pieces(string text)
    {
        var pieces = new List<string>();
        var start = 0;
        for (var i = 1; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]) && !char.IsWhiteSpace(text[i - 1]) && text.AsSpan(start, i - start).ContainsAnyExcept(WhiteSpace))
            {
                pieces.Add(text[start..i]);
                start = i;
            }
        }

        if (start < text.Length)
        {
            var rest = text[start..];
            if (string.IsNullOrWhiteSpace(rest) && pieces.Count > 0)
            {
                pieces[^1] += rest; // whitespace at the end belongs to the last word
            }
            else if (!string.IsNullOrWhiteSpace(rest))
            {
                pieces.Add(rest);
            }
        }

        return pieces;
    }

    private static readonly System.Buffers.SearchValues<char> WhiteSpace = System.Buffers.SearchValues.Create(" \t\n\r\f\v\u00a0\u2028\u2029");

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The function tool to call, its parameters and the text after its name in the last user message, or null to
    /// answer text: see the rule on <see cref="DemoModel"/>.
    /// </summary>
    private static (string Name, JsonElement Parameters, string After)? ToolToCall(ChatRequest request, JsonElement tools, JsonElement lastUser)
    {
        if (tools.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var functions = new List<(string Name, JsonElement Parameters)>();
        foreach (var tool in tools.EnumerateArray())
        {
            if (tool.TryGetProperty("type", out var type) && type.ValueEquals("function"u8) && tool.TryGetProperty("function", out var function)
                && function.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
            {
                functions.Add((name.GetString()!, function.TryGetProperty("parameters", out var parameters) ? parameters : default));
            }
        }

        if (functions.Count == 0)
        {
            return null;
        }

        var choice = request.Property("tool_choice");
        if (choice is { ValueKind: JsonValueKind.String } mode && mode.ValueEquals("none"u8))
        {
            return null;
        }

        var texts = UserTexts(lastUser);
        (int Text, int At, int Tool)? first = null;
        for (var index = 0; index < functions.Count; index++)
        {
            var name = Encoding.UTF8.GetBytes(functions[index].Name);
            for (var part = 0; part < texts.Count; part++)
            {
                var at = WholeWord(Raw(texts[part]), name);
                if (at >= 0 && (first is null || (part, at).CompareTo((first.Value.Text, first.Value.At)) < 0))
                {
                    first = (part, at, index);
                }

                if (at >= 0)
                {
                    break;
                }
            }
        }

        string After(int tool) => first is { } found && found.Tool == tool
            ? Decode(Raw(texts[found.Text])[(found.At + Encoding.UTF8.GetByteCount(functions[tool].Name))..]).Trim().TrimStart(':', ',').Trim()
            : "";

        if (choice is { ValueKind: JsonValueKind.Object } forced && forced.TryGetProperty("function", out var f) && f.TryGetProperty("name", out var forcedName))
        {
            var index = functions.FindIndex(x => forcedName.ValueEquals(x.Name));
            return index < 0 ? null : (functions[index].Name, functions[index].Parameters, After(index));
        }

        if (first is { } match)
        {
            return (functions[match.Tool].Name, functions[match.Tool].Parameters, After(match.Tool));
        }

        return choice is { ValueKind: JsonValueKind.String } required && required.ValueEquals("required"u8)
            ? (functions[0].Name, functions[0].Parameters, "")
            : null;
    }

    /// <summary>The string values holding a user message's text: its content string, or the text of each text part.</summary>
    private static List<JsonElement> UserTexts(JsonElement message)
    {
        var texts = new List<JsonElement>();
        if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var content))
        {
            if (content.ValueKind == JsonValueKind.String)
            {
                texts.Add(content);
            }
            else if (content.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in content.EnumerateArray())
                {
                    if (part.TryGetProperty("text", out var value) && value.ValueKind == JsonValueKind.String)
                    {
                        texts.Add(value);
                    }
                }
            }
        }

        return texts;
    }

    /// <summary>
    /// Where <paramref name="name"/> first stands as a whole word (no letter, digit, '_' or '-' next to it) in a JSON
    /// string's raw UTF-8, or -1. Searched in place: a long message is not copied.
    /// </summary>
    internal static int WholeWord(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> name)
    {
        var offset = 0;
        while (name.Length > 0 && offset < raw.Length)
        {
            var found = raw[offset..].IndexOf(name);
            if (found < 0)
            {
                return -1;
            }

            var at = offset + found;
            var end = at + name.Length;
            var before = at == 0 || !NameByte(raw[at - 1]) || EscapeLetter(raw, at - 1);
            var after = end >= raw.Length || !NameByte(raw[end]);
            if (before && after)
            {
                return at;
            }

            offset = at + 1;
        }

        return -1;
    }

    private static bool NameByte(byte b) => b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'_' or (byte)'-';

    /// <summary>Whether the byte at <paramref name="index"/> is the letter of an escape such as \n (so a word starts after it).</summary>
    private static bool EscapeLetter(ReadOnlySpan<byte> raw, int index)
    {
        if (raw[index] is not ((byte)'n' or (byte)'t' or (byte)'r' or (byte)'b' or (byte)'f'))
        {
            return false;
        }

        var slashes = 0;
        for (var i = index - 1; i >= 0 && raw[i] == (byte)'\\'; i--)
        {
            slashes++;
        }

        return slashes % 2 == 1;
    }

    /// <summary>The start of a raw JSON string's text, decoded, up to <see cref="MaxQuoted"/> characters.</summary>
    private static string Decode(ReadOnlySpan<byte> raw)
    {
        var text = new StringBuilder(MaxQuoted + 1);
        Span<char> chars = stackalloc char[2];
        var i = 0;
        while (i < raw.Length && text.Length < MaxQuoted)
        {
            var count = Next(raw, ref i, chars);
            text.Append(chars[..count]);
        }

        return text.ToString();
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
        var raw = Raw(text);

        Span<char> chars = stackalloc char[2];
        long words = 0;
        var inWord = false;
        var i = 0;
        while (i < raw.Length)
        {
            var count = Next(raw, ref i, chars);
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

    /// <summary>A JSON string's raw UTF-8 inside its quotes (inside it, a quote is always escaped).</summary>
    private static ReadOnlySpan<byte> Raw(JsonElement text)
    {
        var raw = JsonMarshal.GetRawUtf8Value(text);
        return raw is [(byte)'"', .., (byte)'"'] && raw.Length >= 2 ? raw[1..^1] : raw;
    }

    /// <summary>The next character (or surrogate pair) of a raw JSON string at <paramref name="i"/>, its escapes decoded.</summary>
    private static int Next(ReadOnlySpan<byte> raw, ref int i, Span<char> chars)
    {
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
            i += escaped == (byte)'u' ? 6 : 2;
            return 1;
        }

        Rune.DecodeFromUtf8(raw[i..], out var rune, out var consumed);
        i += Math.Max(1, consumed);
        return rune.EncodeToUtf16(chars);
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

/// <summary>One choice of the demo model's answer: text pieces, or a tool call whose arguments are the pieces.</summary>
internal sealed record DemoChoice(IReadOnlyList<string> Pieces, OpenAiToolCall? Call, string FinishReason, int Tokens);

/// <summary>The demo model's answer: its choices (each in streamable pieces) and its usage.</summary>
internal sealed class DemoAnswer(IReadOnlyList<DemoChoice> choices, UsageCounts usage) : ChatCompletion
{
    public IReadOnlyList<DemoChoice> Choices { get; } = choices;

    public override UsageCounts Usage { get; } = usage;

    public override void WriteTo(Utf8JsonWriter writer, ResponseStamp stamp)
    {
        stamp.BeginCompletion(writer);
        writer.WriteStartArray("choices"u8);
        for (var index = 0; index < Choices.Count; index++)
        {
            var choice = Choices[index];
            var whole = string.Concat(choice.Pieces);
            OpenAiCompletionWriter.WriteChoice(writer, index, choice.Call is null ? whole : null,
                choice.Call is { } call ? [call with { Arguments = whole }] : [], choice.FinishReason);
        }

        writer.WriteEndArray();
        OpenAiUsage.Write(writer, Usage, stamp.Charge);
        writer.WriteEndObject();
    }
}
