using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;

namespace LlmTr.Modules.Gateway.Protocols;

/// <summary>OpenAI's <c>usage</c> object, with the request's <c>cost</c> in the platform currency added.</summary>
internal static class OpenAiUsage
{
    public static void Write(Utf8JsonWriter writer, UsageCounts usage, UsageCharge charge)
    {
        writer.WriteStartObject("usage"u8);
        WriteCounts(writer, usage);
        WriteCost(writer, charge);
        writer.WriteEndObject();
    }

    public static void WriteCounts(Utf8JsonWriter writer, UsageCounts usage)
    {
        writer.WriteNumber("prompt_tokens"u8, usage.PromptTokens);
        writer.WriteNumber("completion_tokens"u8, usage.CompletionTokens);
        writer.WriteNumber("total_tokens"u8, usage.TotalTokens);
        writer.WriteStartObject("prompt_tokens_details"u8);
        writer.WriteNumber("cached_tokens"u8, usage.CachedPromptTokens);
        writer.WriteEndObject();
        writer.WriteStartObject("completion_tokens_details"u8);
        writer.WriteNumber("reasoning_tokens"u8, usage.ReasoningTokens);
        writer.WriteEndObject();
    }

    public static void WriteCost(Utf8JsonWriter writer, UsageCharge charge)
    {
        writer.WriteNumber("cost"u8, charge.Cost);
        writer.WriteString("cost_currency"u8, charge.Currency);
    }

    /// <summary>Reads OpenAI-shaped usage (also what most OpenAI-compatible servers send).</summary>
    public static UsageCounts Read(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return UsageCounts.None;
        }

        return new UsageCounts(
            Long(usage, "prompt_tokens"),
            Long(usage, "completion_tokens"),
            usage.TryGetProperty("prompt_tokens_details", out var prompt) && prompt.ValueKind == JsonValueKind.Object ? Long(prompt, "cached_tokens") : 0,
            usage.TryGetProperty("completion_tokens_details", out var completion) && completion.ValueKind == JsonValueKind.Object ? Long(completion, "reasoning_tokens") : 0);
    }

    /// <summary>Reads OpenAI-shaped usage from its JSON text (one object), without a document.</summary>
    public static UsageCounts Read(ReadOnlySpan<byte> usage)
    {
        var reader = new Utf8JsonReader(usage);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return UsageCounts.None;
        }

        long prompt = 0, completion = 0, cached = 0, reasoning = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                reader.Read();
                prompt = Long(ref reader);
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                reader.Read();
                completion = Long(ref reader);
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8))
            {
                reader.Read();
                cached = Nested(ref reader, "cached_tokens"u8);
            }
            else if (reader.ValueTextEquals("completion_tokens_details"u8))
            {
                reader.Read();
                reasoning = Nested(ref reader, "reasoning_tokens"u8);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new UsageCounts(prompt, completion, cached, reasoning);
    }

    /// <summary>The whole number the reader stands on, or 0 for anything else (skipped).</summary>
    private static long Long(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number))
        {
            return number;
        }

        reader.Skip();
        return 0;
    }

    /// <summary>In the value the reader stands on, when an object, its member <paramref name="name"/> as a whole number; the reader ends on the value's end.</summary>
    private static long Nested(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return 0;
        }

        long value = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var matches = reader.ValueTextEquals(name);
            reader.Read();
            if (matches)
            {
                value = Long(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return value;
    }

    public static long Long(JsonElement owner, string name) =>
        owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : 0;
}
