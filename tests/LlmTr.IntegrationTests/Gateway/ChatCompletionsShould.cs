#pragma warning disable SCME0001 // the SDK's Patch (extra body fields) is marked experimental
#pragma warning disable OPENAI001
using System.Text.Json;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using OpenAI.Chat;

namespace LlmTr.IntegrationTests.Gateway;

public sealed class ChatCompletionsShould(OpenAiGatewayFixture fixture) : IClassFixture<OpenAiGatewayFixture>
{
    private GatewayHost Gateway => fixture.Gateway;

    [Fact]
    public async Task ForwardToAnOpenAiCompatibleProviderWithItsModelNameAndTheConfiguredCredential()
    {
        fixture.Upstream.Respond = (_, context) => Sse.JsonAsync(context, 200, FakeOpenAi.Completion("Merhaba!", prompt: 1_000_000, completion: 100_000, cached: 200_000));
        var (_, key) = await Gateway.FundedKeyAsync();

        var result = await Gateway.Chat(key.RawKey, "openai/gpt-4o").CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("Selam")],
            new ChatCompletionOptions { Temperature = 0.3f, MaxOutputTokenCount = 200 });

        var sent = fixture.Upstream.Last;
        Assert.Equal("/v1/chat/completions", sent.PathAndQuery);
        Assert.Equal($"Bearer {GatewayHost.UpstreamKey("openai")}", sent.Header("Authorization"));
        Assert.Equal("gpt-4o", sent.Json.GetProperty("model").GetString());
        Assert.Equal(0.3, sent.Json.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal("Selam", sent.Json.GetProperty("messages")[1].GetProperty("content").GetString());

        var completion = result.Value;
        Assert.Equal("Merhaba!", completion.Content[0].Text);
        Assert.Equal("openai/gpt-4o", completion.Model);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal((1_000_000, 100_000, 200_000), (completion.Usage.InputTokenCount, completion.Usage.OutputTokenCount, completion.Usage.InputTokenDetails.CachedTokenCount));
        var raw = JsonDocument.Parse(result.GetRawResponse().Content.ToString()).RootElement;
        Assert.StartsWith("chatcmpl-req_", raw.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(raw.GetProperty("id").GetString(), "chatcmpl-" + (result.GetRawResponse().Headers.TryGetValue("x-request-id", out var requestId) ? requestId : null));

        // 800,000 uncached input at 2.50, 200,000 cached at 1.25, 100,000 output at 10.00 (per million tokens).
        Assert.Equal(2.0m + 0.25m + 1.0m, raw.GetProperty("usage").GetProperty("cost").GetDecimal());
    }

    [Fact]
    public async Task PassProviderSpecificFieldsThroughUntouched()
    {
        fixture.Upstream.Respond = (_, context) => Sse.JsonAsync(context, 200, FakeOpenAi.Completion("searched", model: "mimo-v2-pro"));
        var (_, key) = await Gateway.FundedKeyAsync();
        var options = new ChatCompletionOptions();
        options.Patch.Set("$.webSearchEnabled"u8, true);
        options.Patch.Set("$.thinking"u8, BinaryData.FromString("""{"type":"enabled"}"""));

        var result = await Gateway.Chat(key.RawKey, "mimo/mimo-v2-pro").CompleteChatAsync([new UserChatMessage("news?")], options);

        var sent = fixture.Upstream.Last.Json;
        Assert.Equal("mimo-v2-pro", sent.GetProperty("model").GetString());
        Assert.True(sent.GetProperty("webSearchEnabled").GetBoolean());
        Assert.Equal("enabled", sent.GetProperty("thinking").GetProperty("type").GetString());
        Assert.Equal("mimo/mimo-v2-pro", result.Value.Model);
    }

    [Fact]
    public async Task CarryJsonModeToTheProvider()
    {
        fixture.Upstream.Respond = (_, context) => Sse.JsonAsync(context, 200, FakeOpenAi.Completion("""{"city":"Ankara"}"""));
        var (_, key) = await Gateway.FundedKeyAsync();

        var result = await Gateway.Chat(key.RawKey, "openai/gpt-4o").CompleteChatAsync(
            [new UserChatMessage("Capital of Türkiye as JSON")], new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat() });

        Assert.Equal("json_object", fixture.Upstream.Last.Json.GetProperty("response_format").GetProperty("type").GetString());
        Assert.Equal("Ankara", JsonDocument.Parse(result.Value.Content[0].Text).RootElement.GetProperty("city").GetString());
    }

    [Fact]
    public async Task CompleteAToolsRoundTrip()
    {
        var (_, key) = await Gateway.FundedKeyAsync();
        var chat = Gateway.Chat(key.RawKey, "openai/gpt-4o");
        var weather = ChatTool.CreateFunctionTool("get_weather", "Weather in a city",
            BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));
        var options = new ChatCompletionOptions { Tools = { weather } };
        fixture.Upstream.Respond = (_, context) => Sse.JsonAsync(context, 200, """
            {"id":"x","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"finish_reason":"tool_calls",
             "message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Izmir\"}"}}]}}],
             "usage":{"prompt_tokens":20,"completion_tokens":5,"total_tokens":25}}
            """);
        List<ChatMessage> messages = [new UserChatMessage("Weather in Izmir?")];

        var first = (await chat.CompleteChatAsync(messages, options)).Value;

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal(("call_1", "get_weather"), (call.Id, call.FunctionName));
        Assert.Equal("Izmir", JsonDocument.Parse(call.FunctionArguments).RootElement.GetProperty("city").GetString());
        Assert.Equal("get_weather", fixture.Upstream.Last.Json.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());

        fixture.Upstream.Respond = (_, context) => Sse.JsonAsync(context, 200, FakeOpenAi.Completion("Sunny, 24°C."));
        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, """{"temp":24,"sky":"sunny"}"""));
        var second = (await chat.CompleteChatAsync(messages, options)).Value;

        var sentMessages = fixture.Upstream.Last.Json.GetProperty("messages");
        Assert.Equal("call_1", sentMessages[1].GetProperty("tool_calls")[0].GetProperty("id").GetString());
        Assert.Equal(("tool", "call_1"), (sentMessages[2].GetProperty("role").GetString(), sentMessages[2].GetProperty("tool_call_id").GetString()));
        Assert.Equal("Sunny, 24°C.", second.Content[0].Text);
    }

    [Fact]
    public async Task StreamChunksAsTheyArriveWithTheUsageChunkAndCost()
    {
        var firstChunkSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fixture.Upstream.Respond = (_, context) => FakeOpenAi.StreamAsync(context, ["Mer", "ha", "ba"], prompt: 1_000_000, completion: 3,
            beforePiece: index => index == 1 ? firstChunkSeen.Task.WaitAsync(TimeSpan.FromSeconds(30)) : Task.CompletedTask);
        var (_, key) = await Gateway.FundedKeyAsync();

        var text = "";
        ChatTokenUsage? usage = null;
        string? model = null;
        await foreach (var update in Gateway.Chat(key.RawKey, "openai/gpt-4o").CompleteChatStreamingAsync([new UserChatMessage("Selam")]))
        {
            text += string.Concat(update.ContentUpdate.Select(p => p.Text));
            model ??= update.Model;
            usage ??= update.Usage;

            // The upstream holds its second piece until the client has the first: only a relay that does not buffer gets here.
            if (text == "Mer")
            {
                firstChunkSeen.TrySetResult();
            }
        }

        Assert.Equal("Merhaba", text);
        Assert.Equal("openai/gpt-4o", model);
        Assert.NotNull(usage);
        Assert.Equal((1_000_000, 3), (usage.InputTokenCount, usage.OutputTokenCount));
        var sent = fixture.Upstream.Last.Json;
        Assert.True(sent.GetProperty("stream").GetBoolean());
        Assert.True(sent.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Fact]
    public async Task AnswerTheDemoModelWithoutAnyProviderStreamingOrNot()
    {
        var (_, key) = await Gateway.FundedKeyAsync(credit: 0);
        var chat = Gateway.Chat(key.RawKey, "llmtr/demo");
        var before = fixture.Upstream.Server.Received.Count;

        var whole = (await chat.CompleteChatAsync([new UserChatMessage("Merhaba dünya")])).Value;
        var streamed = "";
        ChatTokenUsage? usage = null;
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Merhaba dünya")]))
        {
            streamed += string.Concat(update.ContentUpdate.Select(p => p.Text));
            usage ??= update.Usage;
        }

        Assert.Contains("You said: \"Merhaba dünya\"", whole.Content[0].Text, StringComparison.Ordinal);
        Assert.Equal(whole.Content[0].Text, streamed);
        Assert.Equal("llmtr/demo", whole.Model);
        Assert.True(whole.Usage.OutputTokenCount > 0);
        Assert.Equal(whole.Usage.OutputTokenCount, usage!.OutputTokenCount);
        Assert.Equal(before, fixture.Upstream.Server.Received.Count);
    }
}
