using System.Buffers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.Modules.Gateway.Protocols.OpenAi;

namespace LlmTr.UnitTests.Gateway;

/// <summary>
/// The OpenAI-compatible relay done in one reader-to-writer pass: a whole answer and each streamed chunk get the
/// gateway's id, object, created and model, the usage is read for billing (and written back with the cost on an
/// answer), and every other member reaches the client as the provider sent it.
/// </summary>
public sealed class OpenAiRelayShould
{
    private static readonly ResponseStamp Stamp = new("chatcmpl-req_unit", "openai/gpt-4o", 1_760_000_000, new UsageCharge(0.0123m, "TRY"));

    private static readonly CatalogModel Model = new(
        "openai/gpt-4o", "openai", "gpt-4o-2024-08-06", "GPT-4o", new LocalizedText("A model.", "Bir model."), 128_000, 16_384, ["text"], ["text"],
        ["chat", "streaming", "tools"], [], ModelStatus.Active, ModelVisibility.Public, [], null, [], []);

    private static readonly CatalogProvider Provider = new(
        "openai", "OpenAI", ApiProtocol.OpenAi, "https://api.openai.com/v1", "US", null, new LocalizedText("", ""), ProviderStatus.Active);

    /// <summary>An answer with what OpenAI and compatible servers add beyond the basics: all of it must come through.</summary>
    private const string Answer = """
        {
          "id": "chatcmpl-upstream", "object": "chat.completion", "created": 1, "model": "gpt-4o-2024-08-06",
          "choices": [{"index": 0, "message": {"role": "assistant", "content": "Merhaba d\u00fcnya \"ç\" 😀 \n<&>", "refusal": null,
            "reasoning_content": "düşündüm", "annotations": [{"type": "url_citation", "url_citation": {"start_index": 0, "end_index": 3}}]},
            "logprobs": {"content": [{"token": "Mer", "logprob": -0.25, "bytes": [77, 101, 114], "top_logprobs": []}]}, "finish_reason": "stop"}],
          "usage": {"prompt_tokens": 12, "completion_tokens": 7, "total_tokens": 19, "cost": 99, "cost_currency": "XXX",
            "prompt_tokens_details": {"cached_tokens": 4, "audio_tokens": 0}, "completion_tokens_details": {"reasoning_tokens": 3, "accepted_prediction_tokens": 0}},
          "system_fingerprint": "fp_abc", "service_tier": "default", "x_vendor": {"nested": [1, 2.5e3, true, null, {"deep": "\ud83d\ude00"}]}
        }
        """;

    [Fact]
    public void StampAnAnswerAndKeepEverythingElseAsSent()
    {
        var usage = OpenAiRelay.ReadAnswer(Encoding.UTF8.GetBytes(Answer));
        var written = Written(Answer, usage);
        var root = written.RootElement;

        Assert.Equal(new UsageCounts(12, 7, 4, 3), usage);
        Assert.Equal(["id", "object", "created", "model", "choices", "system_fingerprint", "service_tier", "x_vendor", "usage"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("chatcmpl-req_unit", "chat.completion", 1_760_000_000, "openai/gpt-4o"),
            (root.GetProperty("id").GetString(), root.GetProperty("object").GetString(), root.GetProperty("created").GetInt64(), root.GetProperty("model").GetString()));

        using var upstream = JsonDocument.Parse(Answer);
        foreach (var name in new[] { "choices", "system_fingerprint", "service_tier", "x_vendor" })
        {
            Assert.True(JsonElement.DeepEquals(upstream.RootElement.GetProperty(name), root.GetProperty(name)), name);
        }

        var message = root.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal("Merhaba dünya \"ç\" 😀 \n<&>", message.GetProperty("content").GetString());
        Assert.Equal("düşündüm", message.GetProperty("reasoning_content").GetString());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("refusal").ValueKind);
    }

    [Fact]
    public void KeepTheProvidersUsageWithLlmtrsCostInsteadOfItsOwn()
    {
        var usage = Written(Answer, OpenAiRelay.ReadAnswer(Encoding.UTF8.GetBytes(Answer))).RootElement.GetProperty("usage");

        Assert.Equal(["prompt_tokens", "completion_tokens", "total_tokens", "prompt_tokens_details", "completion_tokens_details", "cost", "cost_currency"],
            usage.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.0123m, usage.GetProperty("cost").GetDecimal());
        Assert.Equal("TRY", usage.GetProperty("cost_currency").GetString());
        Assert.Equal(0, usage.GetProperty("prompt_tokens_details").GetProperty("audio_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("completion_tokens_details").GetProperty("accepted_prediction_tokens").GetInt32());
    }

    [Fact]
    public void WriteTheSameAnswerAsTheDocumentPath()
    {
        var call = Call("""{"model":"openai/gpt-4o","messages":[{"role":"user","content":"Hi"}]}""");
        using (call.Request)
        {
            using var upstream = JsonDocument.Parse(Answer);
            var completion = new OpenAiProtocol().ReadCompletion(upstream.RootElement, call);
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                completion.WriteTo(writer, Stamp);
            }

            using var viaDocument = JsonDocument.Parse(buffer.WrittenMemory);
            using var relayed = Written(Answer, OpenAiRelay.ReadAnswer(Encoding.UTF8.GetBytes(Answer)));

            Assert.Equal(completion.Usage, OpenAiRelay.ReadAnswer(Encoding.UTF8.GetBytes(Answer)));
            Assert.True(JsonElement.DeepEquals(viaDocument.RootElement, relayed.RootElement));
        }
    }

    [Fact]
    public void WriteLlmtrsOwnUsageWhenTheProviderSentNone()
    {
        const string answer = """{"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],"usage":null}""";

        var usage = OpenAiRelay.ReadAnswer(Encoding.UTF8.GetBytes(answer));
        using var written = Written(answer, usage);

        Assert.Equal(UsageCounts.None, usage);
        var counts = written.RootElement.GetProperty("usage");
        Assert.Equal(0, counts.GetProperty("total_tokens").GetInt64());
        Assert.Equal(0.0123m, counts.GetProperty("cost").GetDecimal());
        Assert.Equal("usage", written.RootElement.EnumerateObject().Last().Name);
    }

    [Fact]
    public void CopyMembersWithEscapedNamesUnderTheirNames()
    {
        const string answer = """{"choices":[],"\u006Dodel":"gpt","x\"y":1,"ke\u00e7i":"v"}""";

        using var written = Written(answer, OpenAiRelay.ReadAnswer(Encoding.UTF8.GetBytes(answer)));

        Assert.Equal("openai/gpt-4o", written.RootElement.GetProperty("model").GetString());
        Assert.Single(written.RootElement.EnumerateObject(), p => p.Name == "model");
        Assert.Equal(1, written.RootElement.GetProperty("x\"y").GetInt32());
        Assert.Equal("v", written.RootElement.GetProperty("keçi").GetString());
    }

    [Theory]
    [InlineData("""{"id":"x","object":"chat.completion"}""")]
    [InlineData("""{"choices":{"0":{}}}""")]
    [InlineData("""[{"choices":[]}]""")]
    [InlineData("\"choices\"")]
    public void RefuseAnAnswerWithoutChoices(string body) =>
        Assert.Throws<UpstreamProtocolException>(() => OpenAiRelay.ReadAnswer(Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData("")]
    [InlineData("<html>Bad gateway</html>")]
    [InlineData("""{"choices":[],""")]
    [InlineData("""{"choices":[]} {"choices":[]}""")]
    [InlineData("""{"choices":[{"index":0,}]}""")]
    public void RefuseAnAnswerThatIsNotJson(string body)
    {
        var error = Record.Exception(() => OpenAiRelay.ReadAnswer(Encoding.UTF8.GetBytes(body)));

        Assert.IsAssignableFrom<JsonException>(error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(10)]
    public async Task ReadAnAnswerLargerThanItsFirstBufferWhetherItsLengthIsKnownOrNot(int? declared)
    {
        var text = new string('a', 100_000);
        var body = Encoding.UTF8.GetBytes($$$"""{"choices":[{"index":0,"message":{"role":"assistant","content":"{{{text}}}"}}],"usage":{"prompt_tokens":1,"completion_tokens":2}}""");

        using var answer = await OpenAiRelay.ReadAsync(new TrickleStream(body, 4096), declared, CancellationToken.None);

        Assert.Equal(new UsageCounts(1, 2, 0, 0), answer.Usage);
        Assert.True(answer.Body.SequenceEqual(body));
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            answer.WriteTo(writer, Stamp);
        }

        using var written = JsonDocument.Parse(buffer.WrittenMemory);
        Assert.Equal(text, written.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task RefuseABrokenAnswerWhileReadingIt()
    {
        await Assert.ThrowsAnyAsync<JsonException>(() => OpenAiRelay.ReadAsync(new MemoryStream("""{"choices":[]"""u8.ToArray()), null, CancellationToken.None));
        await Assert.ThrowsAsync<UpstreamProtocolException>(() => OpenAiRelay.ReadAsync(new MemoryStream("""{"choices":null}"""u8.ToArray()), 16, CancellationToken.None));
    }

    [Fact]
    public void StampEachChunkAndKeepTheRestAsSent()
    {
        var (chunks, translator) = Stream(
            """{"id":"chatcmpl-up","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}""",
            """{"id":"chatcmpl-up","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"content":"Mer\"h\u00e2ba 😀","reasoning_content":"hmm"},"logprobs":{"content":[{"token":"Mer","logprob":-0.1}]},"finish_reason":null}],"x_vendor":{"a":[1,{"b":"\u0041"}]}}""",
            """{"id":"chatcmpl-up","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""");

        Assert.Equal(3, chunks.Count);
        foreach (var chunk in chunks)
        {
            Assert.Equal(("chatcmpl-req_unit", "chat.completion.chunk", 1_760_000_000, "openai/gpt-4o"),
                (chunk.GetProperty("id").GetString(), chunk.GetProperty("object").GetString(), chunk.GetProperty("created").GetInt64(), chunk.GetProperty("model").GetString()));
            Assert.False(chunk.TryGetProperty("usage", out _));
        }

        Assert.Equal(["id", "object", "created", "model", "system_fingerprint", "choices"], chunks[0].EnumerateObject().Select(p => p.Name));
        var delta = chunks[1].GetProperty("choices")[0].GetProperty("delta");
        Assert.Equal("Mer\"hâba 😀", delta.GetProperty("content").GetString());
        Assert.Equal("hmm", delta.GetProperty("reasoning_content").GetString());
        Assert.Equal(-0.1, chunks[1].GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content")[0].GetProperty("logprob").GetDouble());
        Assert.Equal("A", chunks[1].GetProperty("x_vendor").GetProperty("a")[1].GetProperty("b").GetString());
        Assert.Equal("stop", chunks[2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.False(translator.UsageReported);
        Assert.True(translator.Completed);
    }

    [Fact]
    public void KeepTheUsageChunkBackAndReadItsUsage()
    {
        var (chunks, translator) = Stream(
            """{"id":"c","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}],"usage":null}""",
            """{"id":"c","choices":[],"usage":{"prompt_tokens":11,"completion_tokens":5,"total_tokens":16,"prompt_tokens_details":{"cached_tokens":2},"completion_tokens_details":{"reasoning_tokens":1}}}""");

        Assert.Single(chunks);
        Assert.True(translator.UsageReported);
        Assert.Equal(new UsageCounts(11, 5, 2, 1), translator.Usage);
    }

    [Fact]
    public void CountGeneratedCharactersOfTextAndToolArguments()
    {
        var (_, translator) = Stream(
            """{"choices":[{"index":0,"delta":{"content":"ab\u00e7"}}]}""",
            """{"choices":[{"index":0,"delta":{"content":"çö😀"}},{"index":1,"delta":{"content":null}}]}""",
            """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]}}]}""",
            """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}},{"index":1,"function":{"arguments":"\"Ankara\"}"}}]}}]}""");

        // UTF-16 characters: 3 + 4 (the emoji is two) + 0 + 8 + 9.
        Assert.Equal(3 + 4 + 8 + 9, translator.GeneratedCharacters);
    }

    [Fact]
    public void RaiseAnErrorChunkWithItsMessage()
    {
        var error = Assert.Throws<UpstreamStreamException>(() => Stream(
            """{"id":"c","choices":[{"index":0,"delta":{"content":"Hi"}}],"error":{"message":"The server had an error while processing your request.","type":"server_error"}}"""));

        Assert.Equal("The server had an error while processing your request.", error.Message);
        Assert.Equal("The provider reported an error during the stream.", Assert.Throws<UpstreamStreamException>(() => Stream("""{"error":null}""")).Message);
    }

    [Theory]
    [InlineData("[1,2]", "not a chunk object")]
    [InlineData("\"text\"", "not a chunk object")]
    [InlineData("not json", "not JSON")]
    [InlineData("""{"choices":[{"index":0,"delta":{"content":"Hi"}}]""", "not JSON")]
    [InlineData("""{"choices":[]} x""", "not JSON")]
    [InlineData("""{"error":{"message":"broken"}""", "not JSON")]
    public void RaiseAnEventThatIsNotAChunk(string data, string expected)
    {
        var error = Assert.Throws<UpstreamStreamException>(() => Stream(data));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SendTheClientsBodyUpWithOnlyTheModelAndStreamOptionsChanged()
    {
        const string body = """{ "model" : "openai/gpt-4o", "messages":[{"role":"user","content":"çay \u00e7ay 😀","model":"keep"}], "llmtr":{"residency":"TR"}, "temperature":0.5e0, "stream":true, "stream_options":{"include_usage":false}, "x":{"y":[1]} }""";

        var sent = Upstream(body);

        Assert.Equal(
            """{ "model" : "gpt-4o-2024-08-06", "messages":[{"role":"user","content":"çay \u00e7ay 😀","model":"keep"}], "temperature":0.5e0, "stream":true, "x":{"y":[1]},"stream_options":{"include_usage":true}}""",
            sent);
    }

    [Fact]
    public void AddNoStreamOptionsToARequestThatDoesNotStream() =>
        Assert.Equal(
            """{"model":"gpt-4o-2024-08-06","messages":[{"role":"user","content":"Hi"}],"stream":false}""",
            Upstream("""{"llmtr":{"retention":"none"},"model":"openai/gpt-4o","messages":[{"role":"user","content":"Hi"}],"stream":false}"""));

    private static string Upstream(string body)
    {
        var call = Call(body);
        using (call.Request)
        {
            using var message = new OpenAiProtocol().CreateRequest(call);
            using var content = new MemoryStream();
            message.Content!.CopyTo(content, null, CancellationToken.None);
            return Encoding.UTF8.GetString(content.ToArray());
        }
    }

    private static JsonDocument Written(string answer, UsageCounts usage)
    {
        var buffer = new ArrayBufferWriter<byte>();
        OpenAiRelay.WriteAnswer(Encoding.UTF8.GetBytes(answer), usage, Stamp, buffer);
        return JsonDocument.Parse(buffer.WrittenMemory);
    }

    private static ChatCall Call(string body)
    {
        var request = ChatRequest.Parse(Encoding.UTF8.GetBytes(body), out var error) ?? throw new InvalidOperationException(error!.Error.Message);
        var settings = new ProviderSettings(new Uri(Provider.BaseUrl), "sk-unit", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
        return new ChatCall(request, Model, Provider, settings, "chatcmpl-req_unit", 1_760_000_000);
    }

    /// <summary>Each data through the adapter's stream translator and the sink, as the relay feeds them, then [DONE].</summary>
    private static (List<JsonElement> Chunks, ChatStreamTranslator Translator) Stream(params string[] data)
    {
        var call = Call("""{"model":"openai/gpt-4o","messages":[{"role":"user","content":"Hi"}],"stream":true}""");
        using (call.Request)
        {
            var translator = new OpenAiProtocol().CreateStreamTranslator(call);
            using var sink = new OpenAiChunks("chatcmpl-req_unit", Model.Id, 1_760_000_000, includeUsage: true);
            var chunks = new List<JsonElement>();
            foreach (var item in data.Append("[DONE]"))
            {
                translator.OnEvent(new SseItem<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes(item)), sink);
                foreach (var frame in Encoding.UTF8.GetString(sink.TakePending().Span).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
                {
                    chunks.Add(JsonDocument.Parse(frame["data: ".Length..]).RootElement.Clone());
                }
            }

            return (chunks, translator);
        }
    }

    /// <summary>A body that arrives a few bytes at a time, as a socket delivers it.</summary>
    private sealed class TrickleStream(byte[] data, int piece) : MemoryStream(data, writable: false)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, piece)], cancellationToken);
    }
}
