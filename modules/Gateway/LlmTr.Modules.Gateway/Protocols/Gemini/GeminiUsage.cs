using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;

namespace LlmTr.Modules.Gateway.Protocols.Gemini;

/// <summary>
/// Gemini's <c>usageMetadata</c> as OpenAI usage. The prompt count already includes the cached tokens (reported as
/// cached_tokens) and gains the tokens of tool-use prompts; thinking tokens are output Google bills, so they count as
/// completion tokens and are also reported as reasoning_tokens, as OpenAI does for its reasoning models. Audio and
/// image tokens come from the per-modality details (<c>promptTokensDetails</c>, <c>candidatesTokensDetails</c>), which
/// Google prices apart. A response grounded with Google Search is one grounded prompt, which Google bills per prompt.
/// </summary>
internal static class GeminiUsage
{
    public static UsageCounts Read(JsonElement metadata, bool grounded = false)
    {
        if (metadata.ValueKind != JsonValueKind.Object)
        {
            return grounded ? UsageCounts.None with { WebSearches = 1 } : UsageCounts.None;
        }

        var thoughts = OpenAiUsage.Long(metadata, "thoughtsTokenCount");
        return new UsageCounts(
            OpenAiUsage.Long(metadata, "promptTokenCount") + OpenAiUsage.Long(metadata, "toolUsePromptTokenCount"),
            OpenAiUsage.Long(metadata, "candidatesTokenCount") + thoughts,
            OpenAiUsage.Long(metadata, "cachedContentTokenCount"),
            thoughts)
        {
            AudioPromptTokens = Modality(metadata, "promptTokensDetails", "AUDIO"),
            ImagePromptTokens = Modality(metadata, "promptTokensDetails", "IMAGE"),
            AudioCompletionTokens = Modality(metadata, "candidatesTokensDetails", "AUDIO"),
            ImageCompletionTokens = Modality(metadata, "candidatesTokensDetails", "IMAGE"),
            WebSearches = grounded ? 1 : 0,
        };
    }

    /// <summary>Whether an answer (or a chunk of one) was grounded with Google Search: a candidate's grounding names the queries it ran.</summary>
    public static bool Grounded(JsonElement response)
    {
        if (response.ValueKind != JsonValueKind.Object || !response.TryGetProperty("candidates", out var candidates) || candidates.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var candidate in candidates.EnumerateArray())
        {
            if (candidate.ValueKind == JsonValueKind.Object && candidate.TryGetProperty("groundingMetadata", out var grounding)
                && grounding.ValueKind == JsonValueKind.Object && grounding.TryGetProperty("webSearchQueries", out var queries)
                && queries.ValueKind == JsonValueKind.Array && queries.GetArrayLength() > 0)
            {
                return true;
            }
        }

        return false;
    }

    private static long Modality(JsonElement metadata, string details, string modality)
    {
        if (!metadata.TryGetProperty(details, out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return 0;
        }

        long tokens = 0;
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("modality", out var name) && name.ValueEquals(modality))
            {
                tokens += OpenAiUsage.Long(item, "tokenCount");
            }
        }

        return tokens;
    }
}
