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
        writer.WriteNumber("audio_tokens"u8, usage.AudioPromptTokens);
        writer.WriteEndObject();
        writer.WriteStartObject("completion_tokens_details"u8);
        writer.WriteNumber("reasoning_tokens"u8, usage.ReasoningTokens);
        writer.WriteNumber("audio_tokens"u8, usage.AudioCompletionTokens);
        writer.WriteEndObject();
    }

    public static void WriteCost(Utf8JsonWriter writer, UsageCharge charge)
    {
        writer.WriteNumber("cost"u8, charge.Cost);
        writer.WriteString("cost_currency"u8, charge.Currency);
    }

    /// <summary>
    /// Reads OpenAI-shaped usage (also what most OpenAI-compatible servers send): the whole prompt and completion, and
    /// the parts priced apart: cached and audio prompt tokens, reasoning and audio output tokens, and the web searches a
    /// server reports (<c>server_tool_use.web_search_requests</c>, as some OpenAI-compatible servers send).
    /// </summary>
    public static UsageCounts Read(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return UsageCounts.None;
        }

        usage.TryGetProperty("prompt_tokens_details", out var prompt);
        usage.TryGetProperty("completion_tokens_details", out var completion);
        usage.TryGetProperty("server_tool_use", out var tools);
        return new UsageCounts(Long(usage, "prompt_tokens"), Long(usage, "completion_tokens"), Long(prompt, "cached_tokens"), Long(completion, "reasoning_tokens"))
        {
            AudioPromptTokens = Long(prompt, "audio_tokens"),
            AudioCompletionTokens = Long(completion, "audio_tokens"),
            WebSearches = (int)Math.Min(Long(tools, "web_search_requests"), int.MaxValue),
        };
    }

    /// <summary>Reads OpenAI-shaped usage from its JSON text (one object), without a document: the same counts as <see cref="Read(JsonElement)"/>.</summary>
    public static UsageCounts Read(ReadOnlySpan<byte> usage)
    {
        var reader = new Utf8JsonReader(usage);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return UsageCounts.None;
        }

        long prompt = 0, completion = 0;
        Details promptDetails = default, completionDetails = default, tools = default;
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
                promptDetails = Details.Read(ref reader, "cached_tokens"u8, "audio_tokens"u8);
            }
            else if (reader.ValueTextEquals("completion_tokens_details"u8))
            {
                reader.Read();
                completionDetails = Details.Read(ref reader, "reasoning_tokens"u8, "audio_tokens"u8);
            }
            else if (reader.ValueTextEquals("server_tool_use"u8))
            {
                reader.Read();
                tools = Details.Read(ref reader, "web_search_requests"u8, default);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new UsageCounts(prompt, completion, promptDetails.First, completionDetails.First)
        {
            AudioPromptTokens = promptDetails.Second,
            AudioCompletionTokens = completionDetails.Second,
            WebSearches = (int)Math.Min(tools.First, int.MaxValue),
        };
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

    /// <summary>Two whole-number members of a details object, read in one pass.</summary>
    private readonly record struct Details(long First, long Second)
    {
        /// <summary>In the value the reader stands on, when an object, its members <paramref name="first"/> and <paramref name="second"/>; the reader ends on the value's end.</summary>
        public static Details Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return default;
            }

            long one = 0, two = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isFirst = reader.ValueTextEquals(first);
                var isSecond = !isFirst && !second.IsEmpty && reader.ValueTextEquals(second);
                reader.Read();
                if (isFirst)
                {
                    one = Long(ref reader);
                }
                else if (isSecond)
                {
                    two = Long(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }

            return new Details(one, two);
        }
    }

    public static long Long(JsonElement owner, string name) =>
        owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : 0;
}
