using System.Text.Json;
using LlmTr.Modules.Gateway.Protocols;
using static LlmTr.UnitTests.Gateway.GeminiTranslation;

namespace LlmTr.UnitTests.Gateway;

public sealed class GeminiResponseTranslationShould
{
    [Fact]
    public void AnswerWithTheTextOfTheCandidateAndItsUsage()
    {
        var completion = Completion("""
            {"candidates":[{"content":{"role":"model","parts":[
                {"text":"Thinking about colours...","thought":true},{"text":"The sky is "},{"text":"blue."}]},
              "finishReason":"STOP","index":0,"safetyRatings":[]}],
             "usageMetadata":{"promptTokenCount":1200,"cachedContentTokenCount":1000,"candidatesTokenCount":5,"thoughtsTokenCount":40,
               "totalTokenCount":1245,"promptTokensDetails":[{"modality":"TEXT","tokenCount":1200}]},
             "modelVersion":"gemini-2.5-flash","responseId":"abc123"}
            """, out var usage);

        Assert.Equal("chatcmpl-test", completion.GetProperty("id").GetString());
        Assert.Equal("chat.completion", completion.GetProperty("object").GetString());
        Assert.Equal("google/gemini-2.5-flash", completion.GetProperty("model").GetString());
        var choice = Assert.Single(completion.GetProperty("choices").EnumerateArray());
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal("The sky is blue.", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.False(choice.GetProperty("message").TryGetProperty("tool_calls", out _));
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());

        Assert.Equal((1200, 45, 1000, 40), (usage.PromptTokens, usage.CompletionTokens, usage.CachedPromptTokens, usage.ReasoningTokens));
        var written = completion.GetProperty("usage");
        Assert.Equal(1200, written.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(45, written.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(1245, written.GetProperty("total_tokens").GetInt32());
        Assert.Equal(1000, written.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(40, written.GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32());
        Assert.Equal(0.5m, written.GetProperty("cost").GetDecimal());
    }

    [Fact]
    public void AnswerFunctionCallsAsToolCalls()
    {
        var completion = Completion("""
            {"candidates":[{"content":{"role":"model","parts":[
                {"functionCall":{"name":"get_weather","args":{"city":"Istanbul","unit":"celsius"}},"thoughtSignature":"c2lnbmF0dXJl"},
                {"functionCall":{"name":"get_time","args":{}}}]},
              "finishReason":"STOP","index":0}],
             "usageMetadata":{"promptTokenCount":50,"candidatesTokenCount":12,"totalTokenCount":62}}
            """, out _);

        var choice = Assert.Single(completion.GetProperty("choices").EnumerateArray());
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        var message = choice.GetProperty("message");
        Assert.Equal(JsonValueKind.Null, message.GetProperty("content").ValueKind);
        var calls = message.GetProperty("tool_calls").EnumerateArray().ToList();
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.StartsWith("call_", c.GetProperty("id").GetString(), StringComparison.Ordinal));
        Assert.All(calls, c => Assert.Equal("function", c.GetProperty("type").GetString()));
        Assert.NotEqual(calls[0].GetProperty("id").GetString(), calls[1].GetProperty("id").GetString());
        Assert.Equal("get_weather", calls[0].GetProperty("function").GetProperty("name").GetString());
        using var arguments = JsonDocument.Parse(calls[0].GetProperty("function").GetProperty("arguments").GetString()!);
        Assert.Equal("Istanbul", arguments.RootElement.GetProperty("city").GetString());
        Assert.Equal("{}", calls[1].GetProperty("function").GetProperty("arguments").GetString());
    }

    [Fact]
    public void WriteFunctionCallArgumentsCompactlyAndTheSameStreamedOrNot()
    {
        const string Compact = """{"city":"İstanbul","when":{"day":"yarın","hours":[9,18]},"note":"say \"hi\"\n"}""";

        // generateContent answers pretty-printed; streamGenerateContent puts each event on one line, with spaces.
        var completion = Completion("""
            {
              "candidates": [
                {
                  "content": {
                    "parts": [
                      {
                        "functionCall": {
                          "name": "get_weather",
                          "args": {
                            "city": "İstanbul",
                            "when": {
                              "day": "yarın",
                              "hours": [
                                9,
                                18
                              ]
                            },
                            "note": "say \"hi\"\n"
                          }
                        }
                      }
                    ],
                    "role": "model"
                  },
                  "finishReason": "STOP",
                  "index": 0
                }
              ]
            }
            """, out _);
        var translator = Translator();
        using var sink = Sink();
        var chunks = Feed(translator, sink, """
            {"candidates": [{"content": {"parts": [{"functionCall": {"name": "get_weather","args": {"city": "İstanbul","when": {"day": "yarın","hours": [9, 18]},"note": "say \"hi\"\n"}}}],"role": "model"},"finishReason": "STOP","index": 0}]}
            """);

        var answered = completion.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString();
        var streamed = Delta(chunks[0]).GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString();
        Assert.Equal(Compact, answered);
        Assert.Equal(Compact, streamed);
        Assert.Equal(Compact.Length, translator.GeneratedCharacters);
    }

    [Theory]
    [InlineData("STOP", "stop")]
    [InlineData("MAX_TOKENS", "length")]
    [InlineData("SAFETY", "content_filter")]
    [InlineData("RECITATION", "content_filter")]
    [InlineData("BLOCKLIST", "content_filter")]
    [InlineData("PROHIBITED_CONTENT", "content_filter")]
    [InlineData("SPII", "content_filter")]
    [InlineData("OTHER", "stop")]
    [InlineData("MALFORMED_FUNCTION_CALL", "stop")]
    [InlineData("FINISH_REASON_UNSPECIFIED", "stop")]
    public void TellWhyTheAnswerEndedInOpenAisTerms(string geminiReason, string openAiReason)
    {
        var completion = Completion($$$"""
            {"candidates":[{"content":{"role":"model","parts":[{"text":"Partial"}]},"finishReason":"{{{geminiReason}}}","index":0}],
             "usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":1,"totalTokenCount":4}}
            """, out _);

        Assert.Equal(openAiReason, completion.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public void AnswerABlockedPromptAsARefusal()
    {
        var completion = Completion("""
            {"promptFeedback":{"blockReason":"PROHIBITED_CONTENT","safetyRatings":[]},
             "usageMetadata":{"promptTokenCount":9,"totalTokenCount":9}}
            """, out var usage);

        var choice = Assert.Single(completion.GetProperty("choices").EnumerateArray());
        Assert.Equal("content_filter", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("message").GetProperty("content").ValueKind);
        Assert.Contains("PROHIBITED_CONTENT", choice.GetProperty("message").GetProperty("refusal").GetString(), StringComparison.Ordinal);
        Assert.Equal(9, usage.PromptTokens);
    }

    [Fact]
    public void GiveOneChoicePerCandidateInIndexOrder()
    {
        var completion = Completion("""
            {"candidates":[
              {"content":{"role":"model","parts":[{"text":"Second"}]},"finishReason":"MAX_TOKENS","index":1},
              {"content":{"role":"model","parts":[{"text":"First"}]},"finishReason":"STOP","index":0}],
             "usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":2,"totalTokenCount":5}}
            """, out _);

        var choices = completion.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal([0, 1], choices.Select(c => c.GetProperty("index").GetInt32()));
        Assert.Equal(["First", "Second"], choices.Select(c => c.GetProperty("message").GetProperty("content").GetString()));
        Assert.Equal(["stop", "length"], choices.Select(c => c.GetProperty("finish_reason").GetString()));
    }

    [Fact]
    public void PassOverPartsItCannotRead()
    {
        var completion = Completion("""
            {"candidates":[7,{"content":{"role":"model","parts":[5,{"functionCall":{"args":{"x":1}}},{"text":"Still here."}]},"finishReason":"STOP"}]}
            """, out var usage);

        var choice = Assert.Single(completion.GetProperty("choices").EnumerateArray());
        Assert.Equal(1, choice.GetProperty("index").GetInt32());
        Assert.Equal("Still here.", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.False(choice.GetProperty("message").TryGetProperty("tool_calls", out _));
        Assert.Equal(0, usage.TotalTokens);
    }

    [Theory]
    [InlineData("""{"usageMetadata":{"promptTokenCount":3}}""")]
    [InlineData("""[{"candidates":[]}]""")]
    [InlineData("\"ok\"")]
    public void RefuseAnAnswerThatIsNotAResponse(string body) =>
        Assert.Throws<UpstreamProtocolException>(() => Completion(body, out _));

    [Theory]
    [InlineData("""{"error":{"code":400,"message":"API key not valid.","status":"INVALID_ARGUMENT"}}""")]
    [InlineData("""[{"error":{"code":400,"message":"API key not valid.","status":"INVALID_ARGUMENT"}}]""")]
    public void ReadGeminisErrorMessage(string body)
    {
        using var document = JsonDocument.Parse(body);

        Assert.Equal("API key not valid.", Protocol.ErrorMessage(document.RootElement));
    }
}
