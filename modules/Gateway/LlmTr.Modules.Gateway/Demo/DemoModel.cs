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
        var lastUserText = "";
        long promptWords = 0;
        foreach (var message in request.Messages.EnumerateArray())
        {
            var text = TextOf(message);
            promptWords += 3 + Words(text).Count;
            if (message.GetProperty("role").ValueEquals("user"))
            {
                lastUserText = text;
            }
        }

        var quoted = lastUserText.Length > MaxQuoted ? lastUserText[..MaxQuoted] + "…" : lastUserText;
        var reply = $"Hello from LLMTR's built-in demo model. It answers inside the gateway, without any provider, so you can try the API end to end. You said: \"{quoted.Trim()}\"";
        var pieces = Words(reply).Select((word, i) => i == 0 ? word : " " + word).ToList();
        var finish = "stop";
        if (request.MaxTokens is { } max && pieces.Count > max)
        {
            pieces = pieces[..max];
            finish = "length";
        }

        return new DemoAnswer(pieces, finish, new UsageCounts(promptWords, pieces.Count));
    }

    private static string TextOf(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content))
        {
            return "";
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        var text = new StringBuilder();
        if (content.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in content.EnumerateArray())
            {
                if (part.TryGetProperty("text", out var value) && value.ValueKind == JsonValueKind.String)
                {
                    text.Append(value.GetString()).Append(' ');
                }
            }
        }

        return text.ToString();
    }

    private static List<string> Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToList();
}

/// <summary>The demo model's answer: its text in streamable pieces, why it ended, and its usage.</summary>
internal sealed class DemoAnswer(IReadOnlyList<string> pieces, string finishReason, UsageCounts usage) : ChatCompletion
{
    public IReadOnlyList<string> Pieces { get; } = pieces;

    public string FinishReason { get; } = finishReason;

    public override UsageCounts Usage { get; } = usage;

    public override void WriteTo(Utf8JsonWriter writer, ResponseStamp stamp)
    {
        stamp.BeginCompletion(writer);
        writer.WriteStartArray("choices"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, 0);
        writer.WriteStartObject("message"u8);
        writer.WriteString("role"u8, "assistant"u8);
        writer.WriteString("content"u8, string.Concat(Pieces));
        writer.WriteNull("refusal"u8);
        writer.WriteEndObject();
        writer.WriteNull("logprobs"u8);
        writer.WriteString("finish_reason"u8, FinishReason);
        writer.WriteEndObject();
        writer.WriteEndArray();
        OpenAiUsage.Write(writer, Usage, stamp.Charge);
        writer.WriteEndObject();
    }
}
