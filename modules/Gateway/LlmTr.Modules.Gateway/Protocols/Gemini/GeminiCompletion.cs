using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;

namespace LlmTr.Modules.Gateway.Protocols.Gemini;

/// <summary>A <c>GenerateContentResponse</c> as OpenAI's <c>chat.completion</c>: one choice per candidate.</summary>
internal sealed class GeminiCompletion(IReadOnlyList<GeminiCompletion.Choice> choices, UsageCounts usage) : ChatCompletion
{
    public override UsageCounts Usage => usage;

    public IReadOnlyList<Choice> Choices => choices;

    /// <summary>Reads what is needed out of the body (which the caller disposes before the answer is written).</summary>
    public static GeminiCompletion Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new UpstreamProtocolException("The provider's answer is not a JSON object.");
        }

        var usage = GeminiUsage.Read(body.TryGetProperty("usageMetadata", out var metadata) ? metadata : default, GeminiUsage.Grounded(body));
        var choices = GeminiCandidate.ReadAll(body)
            .Select(c => new Choice(c.Index, c.Text, c.Calls, GeminiFinishReasons.ToOpenAi(c.FinishReason ?? "STOP", c.Calls.Count > 0), null))
            .OrderBy(c => c.Index)
            .ToList();
        if (choices.Count == 0)
        {
            var refusal = GeminiCandidate.BlockedPrompt(body) ?? throw new UpstreamProtocolException("The provider's answer has no 'candidates'.");
            choices.Add(new Choice(0, "", [], GeminiFinishReasons.ContentFilter, refusal));
        }

        return new GeminiCompletion(choices, usage);
    }

    public override void WriteTo(Utf8JsonWriter writer, ResponseStamp stamp)
    {
        stamp.BeginCompletion(writer);
        writer.WriteStartArray("choices"u8);
        foreach (var choice in choices)
        {
            choice.WriteTo(writer);
        }

        writer.WriteEndArray();
        OpenAiUsage.Write(writer, usage, stamp.Charge);
        writer.WriteEndObject();
    }

    /// <param name="Refusal">Set when the provider refused the prompt; the content is then null.</param>
    internal sealed record Choice(int Index, string Text, IReadOnlyList<GeminiCall> Calls, string FinishReason, string? Refusal)
    {
        public void WriteTo(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            writer.WriteNumber("index"u8, Index);
            writer.WriteStartObject("message"u8);
            writer.WriteString("role"u8, "assistant"u8);
            if (Refusal is not null || (Text.Length == 0 && Calls.Count > 0))
            {
                writer.WriteNull("content"u8);
            }
            else
            {
                writer.WriteString("content"u8, Text);
            }

            writer.WriteString("refusal"u8, Refusal);
            if (Calls.Count > 0)
            {
                writer.WriteStartArray("tool_calls"u8);
                foreach (var call in Calls)
                {
                    writer.WriteStartObject();
                    call.WriteTo(writer);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
            writer.WriteNull("logprobs"u8);
            writer.WriteString("finish_reason"u8, FinishReason);
            writer.WriteEndObject();
        }
    }
}
