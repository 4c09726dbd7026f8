using System.Text.Json;
using LlmTr.Modules.Gateway.Protocols;
using static LlmTr.UnitTests.Gateway.GeminiTranslation;

namespace LlmTr.UnitTests.Gateway;

public sealed class GeminiStreamTranslationShould
{
    /// <summary>A stream as gemini-2.5-flash sends it: every chunk a whole response, usage on each, the last one final.</summary>
    private static readonly string[] TextStream =
    [
        """{"candidates": [{"content": {"parts": [{"text": "The"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 8,"totalTokenCount": 8,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 8}]},"modelVersion": "gemini-2.5-flash","responseId": "kxbNaP6dFbqW1MkP0ai4wA8"}""",
        """{"candidates": [{"content": {"parts": [{"text": " sky appears blue because of Rayleigh"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 8,"totalTokenCount": 8,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 8}]},"modelVersion": "gemini-2.5-flash","responseId": "kxbNaP6dFbqW1MkP0ai4wA8"}""",
        """{"candidates": [{"content": {"parts": [{"text": " scattering."}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 8,"candidatesTokenCount": 11,"totalTokenCount": 51,"cachedContentTokenCount": 4,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 8}],"thoughtsTokenCount": 32},"modelVersion": "gemini-2.5-flash","responseId": "kxbNaP6dFbqW1MkP0ai4wA8"}""",
    ];

    [Fact]
    public void RelayTextAsContentDeltasAndEndWithTheFinishReason()
    {
        var translator = Translator();
        using var sink = Sink();

        var first = Feed(translator, sink, TextStream[0]);
        Assert.False(translator.Completed);
        var second = Feed(translator, sink, TextStream[1]);
        Assert.False(translator.Completed);
        var last = Feed(translator, sink, TextStream[2]);

        var opening = Assert.Single(first);
        Assert.Equal("chat.completion.chunk", opening.GetProperty("object").GetString());
        Assert.Equal("chatcmpl-test", opening.GetProperty("id").GetString());
        Assert.Equal("google/gemini-2.5-flash", opening.GetProperty("model").GetString());
        Assert.Equal("assistant", Delta(opening).GetProperty("role").GetString());
        Assert.Equal("The", Delta(opening).GetProperty("content").GetString());
        Assert.Null(FinishReason(opening));
        Assert.False(Delta(Assert.Single(second)).TryGetProperty("role", out _));

        Assert.Equal(2, last.Count);
        Assert.Equal(" scattering.", Delta(last[0]).GetProperty("content").GetString());
        Assert.Equal("stop", FinishReason(last[1]));
        Assert.Equal("The sky appears blue because of Rayleigh scattering.", string.Concat(
            first.Concat(second).Concat(last).Select(c => Delta(c).TryGetProperty("content", out var text) ? text.GetString() : "")));

        Assert.True(translator.Completed);
        Assert.True(translator.UsageReported);
        Assert.Equal((8, 43, 4, 32), (translator.Usage.PromptTokens, translator.Usage.CompletionTokens, translator.Usage.CachedPromptTokens, translator.Usage.ReasoningTokens));
        Assert.Equal("The sky appears blue because of Rayleigh scattering.".Length, translator.GeneratedCharacters);
    }

    [Fact]
    public void RelayAFunctionCallAsOneToolCallDeltaWithItsWholeArguments()
    {
        var translator = Translator();
        using var sink = Sink();

        var call = Feed(translator, sink, """
            {"candidates": [{"content": {"parts": [{"functionCall": {"name": "get_weather","args": {"city": "Istanbul"}},"thoughtSignature": "CiQB0e2Kb7"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 60,"totalTokenCount": 60},"modelVersion": "gemini-2.5-flash"}
            """);
        var end = Feed(translator, sink, """
            {"candidates": [{"content": {"parts": [{"text": ""}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 60,"candidatesTokenCount": 15,"totalTokenCount": 75},"modelVersion": "gemini-2.5-flash"}
            """);

        var delta = Delta(Assert.Single(call));
        Assert.Equal("assistant", delta.GetProperty("role").GetString());
        var toolCall = Assert.Single(delta.GetProperty("tool_calls").EnumerateArray());
        Assert.Equal(0, toolCall.GetProperty("index").GetInt32());
        Assert.StartsWith("call_", toolCall.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("function", toolCall.GetProperty("type").GetString());
        Assert.Equal("get_weather", toolCall.GetProperty("function").GetProperty("name").GetString());
        using var arguments = JsonDocument.Parse(toolCall.GetProperty("function").GetProperty("arguments").GetString()!);
        Assert.Equal("Istanbul", arguments.RootElement.GetProperty("city").GetString());

        Assert.Equal("tool_calls", FinishReason(Assert.Single(end)));
        Assert.True(translator.Completed);
        Assert.Equal(75, translator.Usage.TotalTokens);
    }

    [Theory]
    [InlineData("""{"error": {"code": 429, "message": "Resource has been exhausted (e.g. check quota).", "status": "RESOURCE_EXHAUSTED"}}""", true)]
    [InlineData("""{"error": {"code": 500, "message": "An internal error has occurred.", "status": "INTERNAL"}}""", false)]
    public void RaiseAnErrorChunkAsAStreamError(string chunk, bool rateLimited)
    {
        var translator = Translator();
        using var sink = Sink();
        Feed(translator, sink, TextStream[0]);

        var error = Assert.Throws<UpstreamStreamException>(() => Feed(translator, sink, chunk));

        Assert.Equal(rateLimited, error.RateLimited);
        Assert.Contains(rateLimited ? "exhausted" : "internal error", error.Message, StringComparison.Ordinal);
        Assert.False(translator.Completed);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    public void RaiseAnUnreadableEventAsAStreamError(string chunk)
    {
        using var sink = Sink();

        Assert.Throws<UpstreamStreamException>(() => Feed(Translator(), sink, chunk));
    }

    [Fact]
    public void EndABlockedPromptWithARefusal()
    {
        var translator = Translator();
        using var sink = Sink();

        var chunk = Assert.Single(Feed(translator, sink, """{"promptFeedback": {"blockReason": "SAFETY"},"usageMetadata": {"promptTokenCount": 7,"totalTokenCount": 7}}"""));

        Assert.Equal("content_filter", FinishReason(chunk));
        Assert.Contains("SAFETY", Delta(chunk).GetProperty("refusal").GetString(), StringComparison.Ordinal);
        Assert.True(translator.Completed);
        Assert.Equal(7, translator.Usage.PromptTokens);
    }

    [Fact]
    public void CompleteOnlyWhenEveryRequestedCandidateHasFinished()
    {
        var translator = Translator(n: 2);
        using var sink = Sink();

        var first = Feed(translator, sink, """
            {"candidates": [{"content": {"parts": [{"text": "A"}],"role": "model"},"finishReason": "STOP","index": 0},{"content": {"parts": [{"text": "B"}],"role": "model"},"index": 1}]}
            """);
        Assert.False(translator.Completed);
        var second = Feed(translator, sink, """
            {"candidates": [{"content": {"parts": [{"text": "C"}],"role": "model"},"finishReason": "MAX_TOKENS","index": 1}],"usageMetadata": {"promptTokenCount": 2,"candidatesTokenCount": 3,"totalTokenCount": 5}}
            """);

        Assert.True(translator.Completed);
        Assert.Equal([0, 0, 1], first.Select(c => c.GetProperty("choices")[0].GetProperty("index").GetInt32()));
        Assert.Equal("assistant", Delta(first[2]).GetProperty("role").GetString());
        Assert.Equal("length", FinishReason(second[^1]));
    }
}
