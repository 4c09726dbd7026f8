using System.Text;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.Modules.Gateway.Protocols.Anthropic;
using LlmTr.Modules.Gateway.Protocols.Gemini;
using LlmTr.Modules.Gateway.Responses;

namespace LlmTr.UnitTests.Gateway;

/// <summary>
/// Issue 20: every quantity a provider bills is read from its usage, as each protocol reports it (answers as the
/// providers send them, trimmed to the members that matter).
/// </summary>
public sealed class ProviderUsageShould
{
    // gpt-4o-audio-preview, with input_audio in the prompt and modalities ["text","audio"].
    private const string OpenAiAudioUsage = """
        {"prompt_tokens":1210,"completion_tokens":905,"total_tokens":2115,
         "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":1000,"text_tokens":210,"image_tokens":0},
         "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":700,"text_tokens":205,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}
        """;

    // A Messages API answer that wrote both cache lifetimes and ran two web searches.
    private const string AnthropicUsageJson = """
        {"input_tokens":21,"cache_creation_input_tokens":4000,"cache_read_input_tokens":2000,
         "cache_creation":{"ephemeral_5m_input_tokens":3000,"ephemeral_1h_input_tokens":1000},
         "output_tokens":512,"server_tool_use":{"web_search_requests":2},"service_tier":"standard"}
        """;

    private const string GeminiAnswer = """
        {"candidates":[{"content":{"role":"model","parts":[{"text":"Istanbul'da bugün hava güneşli."}]},"finishReason":"STOP",
                        "groundingMetadata":{"webSearchQueries":["istanbul hava durumu"],"groundingChunks":[{"web":{"uri":"https://example.com","title":"example.com"}}]}}],
         "usageMetadata":{"promptTokenCount":1300,"candidatesTokenCount":40,"totalTokenCount":1540,"thoughtsTokenCount":200,"cachedContentTokenCount":256,
           "promptTokensDetails":[{"modality":"TEXT","tokenCount":300},{"modality":"AUDIO","tokenCount":800},{"modality":"IMAGE","tokenCount":200}],
           "candidatesTokensDetails":[{"modality":"TEXT","tokenCount":40}]},
         "modelVersion":"gemini-2.5-flash"}
        """;

    private const string ResponsesAnswer = """
        {"id":"resp_1","object":"response","status":"completed",
         "output":[{"type":"web_search_call","id":"ws_1","status":"completed","action":{"type":"search","query":"istanbul"}},
                   {"type":"web_search_call","id":"ws_2","status":"completed","action":{"type":"search","query":"ankara"}},
                   {"type":"file_search_call","id":"fs_1","status":"completed","queries":["kvkk"]},
                   {"type":"reasoning","id":"rs_1","summary":[]},
                   {"type":"message","id":"msg_1","role":"assistant","content":[{"type":"output_text","text":"Done.","annotations":[]}]}],
         "usage":{"input_tokens":3000,"input_tokens_details":{"cached_tokens":1024},"output_tokens":900,"output_tokens_details":{"reasoning_tokens":640},"total_tokens":3900}}
        """;

    [Fact]
    public void ReadOpenAiAudioTokensInAndOutAlikeFromADocumentAndFromText()
    {
        using var document = JsonDocument.Parse(OpenAiAudioUsage);
        var fromDocument = OpenAiUsage.Read(document.RootElement);
        var fromText = OpenAiUsage.Read(Encoding.UTF8.GetBytes(OpenAiAudioUsage));

        Assert.Equal(fromDocument, fromText);
        Assert.Equal((1210L, 905L, 1000L, 700L), (fromText.PromptTokens, fromText.CompletionTokens, fromText.AudioPromptTokens, fromText.AudioCompletionTokens));
    }

    [Fact]
    public void WriteAudioTokensBackInOpenAisUsageShape()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            OpenAiUsage.WriteCounts(writer, new UsageCounts(1210, 905) { AudioPromptTokens = 1000, AudioCompletionTokens = 700 });
            writer.WriteEndObject();
        }

        using var written = JsonDocument.Parse(buffer.WrittenMemory);
        Assert.Equal(1000, written.RootElement.GetProperty("prompt_tokens_details").GetProperty("audio_tokens").GetInt64());
        Assert.Equal(700, written.RootElement.GetProperty("completion_tokens_details").GetProperty("audio_tokens").GetInt64());
    }

    [Fact]
    public void SplitAnthropicCacheWritesByLifetimeAndCountItsWebSearches()
    {
        using var document = JsonDocument.Parse(AnthropicUsageJson);
        var counts = default(AnthropicUsage).With(document.RootElement).ToCounts();

        Assert.Equal(21 + 4000 + 2000, counts.PromptTokens);
        Assert.Equal(2000, counts.CachedPromptTokens);
        Assert.Equal((3000L, 1000L), (counts.CacheWrite5mTokens, counts.CacheWrite1hTokens));
        Assert.Equal(512, counts.CompletionTokens);
        Assert.Equal(2, counts.WebSearches);
    }

    [Fact]
    public void TakeAnthropicCacheWritesWithoutALifetimeSplitAsFiveMinuteWrites()
    {
        using var document = JsonDocument.Parse("""{"input_tokens":12,"cache_creation_input_tokens":40,"cache_read_input_tokens":1000,"output_tokens":9}""");
        var counts = default(AnthropicUsage).With(document.RootElement).ToCounts();

        Assert.Equal((40L, 0L, 0), (counts.CacheWrite5mTokens, counts.CacheWrite1hTokens, counts.WebSearches));
    }

    [Fact]
    public void KeepAnthropicStreamCountsCumulativeAcrossStartAndDelta()
    {
        using var start = JsonDocument.Parse("""{"input_tokens":21,"cache_creation_input_tokens":4000,"cache_read_input_tokens":2000,"cache_creation":{"ephemeral_5m_input_tokens":3000,"ephemeral_1h_input_tokens":1000},"output_tokens":1}""");
        using var delta = JsonDocument.Parse("""{"output_tokens":512,"server_tool_use":{"web_search_requests":2}}""");
        var counts = default(AnthropicUsage).With(start.RootElement).With(delta.RootElement).ToCounts();

        Assert.Equal((1000L, 512L, 2), (counts.CacheWrite1hTokens, counts.CompletionTokens, counts.WebSearches));
    }

    [Fact]
    public void ReadGeminiModalitiesThinkingCacheAndGrounding()
    {
        using var document = JsonDocument.Parse(GeminiAnswer);
        var counts = GeminiUsage.Read(document.RootElement.GetProperty("usageMetadata"), GeminiUsage.Grounded(document.RootElement));

        Assert.Equal((1300L, 240L, 256L, 200L), (counts.PromptTokens, counts.CompletionTokens, counts.CachedPromptTokens, counts.ReasoningTokens));
        Assert.Equal((800L, 200L, 0L), (counts.AudioPromptTokens, counts.ImagePromptTokens, counts.ImageCompletionTokens));
        Assert.Equal(1, counts.WebSearches); // one grounded prompt, as Google bills it
    }

    [Fact]
    public void CountNoGeminiSearchWithoutGrounding()
    {
        using var document = JsonDocument.Parse("""{"candidates":[{"content":{"parts":[{"text":"x"}]},"groundingMetadata":{"webSearchQueries":[]}}]}""");

        Assert.False(GeminiUsage.Grounded(document.RootElement));
    }

    [Fact]
    public void CountTheResponsesApisWebSearchAndFileSearchCalls()
    {
        using var document = JsonDocument.Parse(ResponsesAnswer);
        var counts = ResponsesUsage.Read(document.RootElement.GetProperty("usage"), document.RootElement.GetProperty("output"));

        Assert.Equal((3000L, 900L, 1024L, 640L), (counts.PromptTokens, counts.CompletionTokens, counts.CachedPromptTokens, counts.ReasoningTokens));
        Assert.Equal((2, 1), (counts.WebSearches, counts.ToolCalls));
    }
}
