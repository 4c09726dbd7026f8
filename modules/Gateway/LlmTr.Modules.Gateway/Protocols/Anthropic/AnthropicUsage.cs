using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;

namespace LlmTr.Modules.Gateway.Protocols.Anthropic;

/// <summary>
/// Anthropic's usage counts. Its <c>input_tokens</c> is only the part of the prompt after the last cache breakpoint;
/// tokens read from the cache and tokens written to it are counted apart. OpenAI's <c>prompt_tokens</c> is the whole
/// prompt, so it is the sum of the three, with the cache reads as <c>cached_tokens</c>. Cache writes are billed by how
/// long the cache lives: <c>cache_creation</c> splits them into five-minute and one-hour writes (without it, every write
/// is a five-minute one, Anthropic's default). The web searches Anthropic ran are in <c>server_tool_use</c>.
/// </summary>
internal readonly record struct AnthropicUsage(long Input, long CacheRead, long CacheCreation, long Output)
{
    /// <summary>Of <see cref="CacheCreation"/>, the tokens written to a one-hour cache.</summary>
    public long CacheCreation1h { get; init; }

    public long WebSearches { get; init; }

    /// <summary>These counts updated with the ones a usage object carries (counts in a stream are cumulative, not increments).</summary>
    public AnthropicUsage With(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return this;
        }

        var oneHour = usage.TryGetProperty("cache_creation", out var creation) && creation.ValueKind == JsonValueKind.Object
            ? Count(creation, "ephemeral_1h_input_tokens")
            : null;
        var searches = usage.TryGetProperty("server_tool_use", out var tools) && tools.ValueKind == JsonValueKind.Object
            ? Count(tools, "web_search_requests")
            : null;
        return new AnthropicUsage(
            Count(usage, "input_tokens") ?? Input,
            Count(usage, "cache_read_input_tokens") ?? CacheRead,
            Count(usage, "cache_creation_input_tokens") ?? CacheCreation,
            Count(usage, "output_tokens") ?? Output)
        {
            CacheCreation1h = oneHour ?? CacheCreation1h,
            WebSearches = searches ?? WebSearches,
        };
    }

    public UsageCounts ToCounts()
    {
        var oneHour = Math.Clamp(CacheCreation1h, 0, Math.Max(CacheCreation, 0));
        return new UsageCounts(Input + CacheRead + CacheCreation, Output, CacheRead)
        {
            CacheWrite5mTokens = Math.Max(CacheCreation, 0) - oneHour,
            CacheWrite1hTokens = oneHour,
            WebSearches = (int)Math.Clamp(WebSearches, 0, int.MaxValue),
        };
    }

    private static long? Count(JsonElement usage, string name) =>
        usage.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count) ? count : null;
}
