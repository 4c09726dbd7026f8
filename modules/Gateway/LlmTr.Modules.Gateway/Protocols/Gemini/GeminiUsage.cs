using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;

namespace LlmTr.Modules.Gateway.Protocols.Gemini;

/// <summary>
/// Gemini's <c>usageMetadata</c> as OpenAI usage. The prompt count already includes the cached tokens (reported as
/// cached_tokens) and gains the tokens of tool-use prompts; thinking tokens are output Google bills, so they count as
/// completion tokens and are also reported as reasoning_tokens, as OpenAI does for its reasoning models.
/// </summary>
internal static class GeminiUsage
{
    public static UsageCounts Read(JsonElement metadata)
    {
        if (metadata.ValueKind != JsonValueKind.Object)
        {
            return UsageCounts.None;
        }

        var thoughts = OpenAiUsage.Long(metadata, "thoughtsTokenCount");
        return new UsageCounts(
            OpenAiUsage.Long(metadata, "promptTokenCount") + OpenAiUsage.Long(metadata, "toolUsePromptTokenCount"),
            OpenAiUsage.Long(metadata, "candidatesTokenCount") + thoughts,
            OpenAiUsage.Long(metadata, "cachedContentTokenCount"),
            thoughts);
    }
}
