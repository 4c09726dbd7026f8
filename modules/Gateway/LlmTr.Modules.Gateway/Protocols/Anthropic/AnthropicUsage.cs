using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;

namespace LlmTr.Modules.Gateway.Protocols.Anthropic;

/// <summary>
/// Anthropic's usage counts. Its <c>input_tokens</c> is only the part of the prompt after the last cache breakpoint;
/// tokens read from the cache and tokens written to it are counted apart. OpenAI's <c>prompt_tokens</c> is the whole
/// prompt, so it is the sum of the three, with the cache reads as <c>cached_tokens</c>.
/// </summary>
internal readonly record struct AnthropicUsage(long Input, long CacheRead, long CacheCreation, long Output)
{
    /// <summary>These counts updated with the ones a usage object carries (counts in a stream are cumulative, not increments).</summary>
    public AnthropicUsage With(JsonElement usage) => usage.ValueKind != JsonValueKind.Object
        ? this
        : new AnthropicUsage(
            Count(usage, "input_tokens") ?? Input,
            Count(usage, "cache_read_input_tokens") ?? CacheRead,
            Count(usage, "cache_creation_input_tokens") ?? CacheCreation,
            Count(usage, "output_tokens") ?? Output);

    public UsageCounts ToCounts() => new(Input + CacheRead + CacheCreation, Output, CacheRead);

    private static long? Count(JsonElement usage, string name) =>
        usage.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count) ? count : null;
}
