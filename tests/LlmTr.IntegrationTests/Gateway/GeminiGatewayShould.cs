using System.ClientModel;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using OpenAI.Chat;

namespace LlmTr.IntegrationTests.Gateway;

/// <summary>The official OpenAI SDK against /v1, served by a fake Gemini API: what the SDK gets, and what Gemini received.</summary>
public sealed class GeminiGatewayShould(GeminiGatewayFixture fixture) : IClassFixture<GeminiGatewayFixture>
{
    private const string Model = "google/gemini-2.5-flash";
    private const string GenerateContent = "/v1beta/models/gemini-2.5-flash:generateContent";
    private const string StreamGenerateContent = "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse";
    private static readonly string UpstreamKey = GatewayHost.UpstreamKey("google");

    private static readonly string[] SkyStream =
    [
        """{"candidates":[{"content":{"parts":[{"text":"The"}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":8,"totalTokenCount":8},"modelVersion":"gemini-2.5-flash"}""",
        """{"candidates":[{"content":{"parts":[{"text":" sky is blue because of Rayleigh"}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":8,"totalTokenCount":8},"modelVersion":"gemini-2.5-flash"}""",
        """{"candidates":[{"content":{"parts":[{"text":" scattering."}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":8,"cachedContentTokenCount":4,"candidatesTokenCount":9,"thoughtsTokenCount":32,"totalTokenCount":49},"modelVersion":"gemini-2.5-flash"}""",
    ];

    private FakeGemini Gemini { get; } = fixture.Gemini.Reset();

    [Fact]
    public async Task AnswerThroughGenerateContentWithTheKeyInAHeader()
    {
        Gemini.Then(FakeGemini.Json(FakeGemini.Text("Merhaba! İyiyim, teşekkürler.",
            usage: """{"promptTokenCount":1200,"cachedContentTokenCount":1000,"candidatesTokenCount":6,"thoughtsTokenCount":30,"totalTokenCount":1236}""")));
        var (userId, chat) = await ClientAsync();

        ChatCompletion completion = await chat.CompleteChatAsync(
            [new SystemChatMessage("Answer in Turkish."), new UserChatMessage("Merhaba, nasılsın?")],
            new ChatCompletionOptions { Temperature = 0.5f, MaxOutputTokenCount = 100 });

        Assert.Equal("Merhaba! İyiyim, teşekkürler.", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(Model, completion.Model);
        Assert.StartsWith("chatcmpl-", completion.Id, StringComparison.Ordinal);
        AssertUsage(completion.Usage, prompt: 1200, completion: 36, cached: 1000, reasoning: 30);

        var received = Gemini.OnlyRequest();
        Assert.Equal("POST", received.Method);
        Assert.Equal(GenerateContent, received.PathAndQuery);
        Assert.Equal(UpstreamKey, received.Header("x-goog-api-key"));
        Assert.Null(received.Header("Authorization"));
        var body = received.Json;
        Assert.Equal("Answer in Turkish.", body.GetProperty("systemInstruction").GetProperty("parts")[0].GetProperty("text").GetString());
        var content = Assert.Single(body.GetProperty("contents").EnumerateArray());
        Assert.Equal("user", content.GetProperty("role").GetString());
        Assert.Equal("Merhaba, nasılsın?", content.GetProperty("parts")[0].GetProperty("text").GetString());
        Assert.Equal(0.5, body.GetProperty("generationConfig").GetProperty("temperature").GetDouble());
        Assert.Equal(100, body.GetProperty("generationConfig").GetProperty("maxOutputTokens").GetInt32());
        Assert.False(body.TryGetProperty("model", out _));
        Assert.False(body.TryGetProperty("messages", out _));

        await AssertRecordedAsync(userId, "1200,36,1000,30");
    }

    [Fact]
    public async Task StreamThroughStreamGenerateContent()
    {
        Gemini.Then(FakeGemini.Stream(SkyStream));
        var (userId, chat) = await ClientAsync();

        var updates = await ToListAsync(chat.CompleteChatStreamingAsync([new UserChatMessage("Why is the sky blue?")]));

        Assert.Equal(ChatMessageRole.Assistant, updates[0].Role);
        Assert.Equal("The sky is blue because of Rayleigh scattering.", Text(updates));
        Assert.Equal(ChatFinishReason.Stop, Assert.Single(updates, u => u.FinishReason is not null).FinishReason);
        Assert.All(updates, u => Assert.Equal(Model, u.Model));
        AssertUsage(Assert.Single(updates, u => u.Usage is not null).Usage, prompt: 8, completion: 41, cached: 4, reasoning: 32);

        var received = Gemini.OnlyRequest();
        Assert.Equal(StreamGenerateContent, received.PathAndQuery);
        Assert.Equal(UpstreamKey, received.Header("x-goog-api-key"));
        Assert.Equal("Why is the sky blue?", received.Json.GetProperty("contents")[0].GetProperty("parts")[0].GetProperty("text").GetString());

        await AssertRecordedAsync(userId, "8,41,4,32");
    }

    [Fact]
    public async Task RelayTheFirstChunkBeforeGeminiHasFinished()
    {
        var rest = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Gemini.Then(async context =>
        {
            Sse.Start(context);
            await FakeGemini.EventAsync(context, SkyStream[0]);
            await rest.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await FakeGemini.EventAsync(context, SkyStream[1]);
            await FakeGemini.EventAsync(context, SkyStream[2]);
        });
        var (_, chat) = await ClientAsync();

        await using var updates = chat.CompleteChatStreamingAsync([new UserChatMessage("Why is the sky blue?")]).GetAsyncEnumerator();
        var first = new List<StreamingChatCompletionUpdate>();
        while (Text(first).Length == 0 && await updates.MoveNextAsync())
        {
            first.Add(updates.Current);
        }

        Assert.Equal("The", Text(first));
        rest.SetResult();
        var others = new List<StreamingChatCompletionUpdate>();
        while (await updates.MoveNextAsync())
        {
            others.Add(updates.Current);
        }

        Assert.Equal(" sky is blue because of Rayleigh scattering.", Text(others));
    }

    [Fact]
    public async Task RunAToolRoundTrip()
    {
        Gemini.Then(
            FakeGemini.Json("""
                {"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Istanbul"}},"thoughtSignature":"CiQB0e2Kb7"}]},"finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":40,"candidatesTokenCount":8,"totalTokenCount":48}}
                """),
            FakeGemini.Json(FakeGemini.Text("It is 21°C and clear in Istanbul.")));
        var (_, chat) = await ClientAsync();
        var options = new ChatCompletionOptions { Tools = { WeatherTool() }, ToolChoice = ChatToolChoice.CreateAutoChoice() };
        List<ChatMessage> messages = [new UserChatMessage("What is the weather in Istanbul?")];

        ChatCompletion first = await chat.CompleteChatAsync(messages, options);

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.StartsWith("call_", call.Id, StringComparison.Ordinal);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("Istanbul", JsonDocument.Parse(call.FunctionArguments).RootElement.GetProperty("city").GetString());

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, """{"temperature":21,"sky":"clear"}"""));
        ChatCompletion second = await chat.CompleteChatAsync(messages, options);

        Assert.Equal("It is 21°C and clear in Istanbul.", second.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, second.FinishReason);
        var requests = Gemini.Upstream.Received.ToList();
        Assert.Equal(2, requests.Count);
        var declaration = requests[0].Json.GetProperty("tools")[0].GetProperty("functionDeclarations")[0];
        Assert.Equal("get_weather", declaration.GetProperty("name").GetString());
        Assert.Equal("Current weather in a city", declaration.GetProperty("description").GetString());
        Assert.False(declaration.GetProperty("parameters").TryGetProperty("additionalProperties", out _));
        Assert.Equal("AUTO", requests[0].Json.GetProperty("toolConfig").GetProperty("functionCallingConfig").GetProperty("mode").GetString());

        var contents = requests[1].Json.GetProperty("contents").EnumerateArray().ToList();
        Assert.Equal(["user", "model", "user"], contents.Select(c => c.GetProperty("role").GetString()));
        var functionCall = contents[1].GetProperty("parts")[0].GetProperty("functionCall");
        Assert.Equal("get_weather", functionCall.GetProperty("name").GetString());
        Assert.Equal("Istanbul", functionCall.GetProperty("args").GetProperty("city").GetString());
        var functionResponse = contents[2].GetProperty("parts")[0].GetProperty("functionResponse");
        Assert.Equal("get_weather", functionResponse.GetProperty("name").GetString());
        Assert.Equal(21, functionResponse.GetProperty("response").GetProperty("temperature").GetInt32());
    }

    [Fact]
    public async Task StreamAFunctionCallAsOneToolCall()
    {
        Gemini.Then(FakeGemini.Stream(
            """{"candidates":[{"content":{"parts":[{"functionCall":{"name":"get_weather","args":{"city":"Ankara"}}}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":40,"totalTokenCount":40}}""",
            """{"candidates":[{"content":{"parts":[{"text":""}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":40,"candidatesTokenCount":7,"totalTokenCount":47}}"""));
        var (_, chat) = await ClientAsync();

        var updates = await ToListAsync(chat.CompleteChatStreamingAsync(
            [new UserChatMessage("Weather in Ankara?")],
            new ChatCompletionOptions { Tools = { WeatherTool() }, ToolChoice = ChatToolChoice.CreateRequiredChoice() }));

        var call = Assert.Single(updates.SelectMany(u => u.ToolCallUpdates));
        Assert.Equal(0, call.Index);
        Assert.StartsWith("call_", call.ToolCallId, StringComparison.Ordinal);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("Ankara", JsonDocument.Parse(call.FunctionArgumentsUpdate).RootElement.GetProperty("city").GetString());
        Assert.Equal(ChatFinishReason.ToolCalls, Assert.Single(updates, u => u.FinishReason is not null).FinishReason);
        Assert.Equal(47, Assert.Single(updates, u => u.Usage is not null).Usage.TotalTokenCount);
        Assert.Equal("ANY", Gemini.OnlyRequest().Json.GetProperty("toolConfig").GetProperty("functionCallingConfig").GetProperty("mode").GetString());
    }

    [Fact]
    public async Task AskForJsonWithTheSchemaGeminiAccepts()
    {
        Gemini.Then(FakeGemini.Json(FakeGemini.Text("""{"name":"sky blue","hex":"#87ceeb"}""")));
        var (_, chat) = await ClientAsync();
        var schema = BinaryData.FromString("""
            {"type":"object","additionalProperties":false,"properties":{"name":{"type":"string"},"hex":{"type":"string"}},"required":["name","hex"]}
            """);

        ChatCompletion completion = await chat.CompleteChatAsync(
            [new UserChatMessage("Name a colour.")],
            new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("colour", schema, jsonSchemaIsStrict: true) });

        Assert.Equal("#87ceeb", JsonDocument.Parse(completion.Content[0].Text).RootElement.GetProperty("hex").GetString());
        var config = Gemini.OnlyRequest().Json.GetProperty("generationConfig");
        Assert.Equal("application/json", config.GetProperty("responseMimeType").GetString());
        var responseSchema = config.GetProperty("responseSchema");
        Assert.False(responseSchema.TryGetProperty("additionalProperties", out _));
        Assert.Equal(["name", "hex"], responseSchema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("string", responseSchema.GetProperty("properties").GetProperty("hex").GetProperty("type").GetString());
    }

    [Fact]
    public async Task SendImagesInlineAndByAddress()
    {
        Gemini.Then(FakeGemini.Json(FakeGemini.Text("Two cats.")));
        var (_, chat) = await ClientAsync();
        byte[] image = [0x89, 0x50, 0x4E, 0x47, 0xFB, 0xFF, 0xBF, 0xFE, 0x3E, 0x3F];

        ChatCompletion completion = await chat.CompleteChatAsync(new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("What is in these pictures?"),
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(image), "image/png"),
            ChatMessageContentPart.CreateImagePart(new Uri("https://example.com/photos/cat.jpg"))));

        Assert.Equal("Two cats.", completion.Content[0].Text);
        var parts = Gemini.OnlyRequest().Json.GetProperty("contents")[0].GetProperty("parts");
        Assert.Equal("What is in these pictures?", parts[0].GetProperty("text").GetString());
        Assert.Equal("image/png", parts[1].GetProperty("inlineData").GetProperty("mimeType").GetString());
        Assert.Equal(image, Convert.FromBase64String(parts[1].GetProperty("inlineData").GetProperty("data").GetString()!));
        Assert.Equal("image/jpeg", parts[2].GetProperty("fileData").GetProperty("mimeType").GetString());
        Assert.Equal("https://example.com/photos/cat.jpg", parts[2].GetProperty("fileData").GetProperty("fileUri").GetString());
    }

    [Theory]
    [InlineData(500, "INTERNAL", false, 502)]
    [InlineData(503, "UNAVAILABLE", false, 502)]
    [InlineData(503, "UNAVAILABLE", true, 502)]
    [InlineData(429, "RESOURCE_EXHAUSTED", false, 429)]
    [InlineData(429, "RESOURCE_EXHAUSTED", true, 429)]
    [InlineData(400, "INVALID_ARGUMENT", false, 400)]
    public async Task TellGeminiFailuresByThePublicErrorTable(int upstreamStatus, string code, bool stream, int status)
    {
        Gemini.Then(FakeGemini.Error(upstreamStatus, code, $"Gemini says no (key {UpstreamKey})."));
        var (_, chat) = await ClientAsync();
        List<ChatMessage> messages = [new UserChatMessage("Hi")];

        var error = await Assert.ThrowsAsync<ClientResultException>(async () =>
        {
            if (stream)
            {
                await ToListAsync(chat.CompleteChatStreamingAsync(messages));
            }
            else
            {
                await chat.CompleteChatAsync(messages);
            }
        });

        Assert.Equal(status, error.Status);
        Assert.DoesNotContain(UpstreamKey, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Gemini.Upstream.BaseAddress.Authority, error.Message, StringComparison.Ordinal);
        if (status == 400)
        {
            Assert.Contains("Gemini says no", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TellARejectedGoogleKeyAsTheGatewaysOwnCredentialFailure()
    {
        Gemini.Then(context => Sse.JsonAsync(context, 400, """
            {"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT",
             "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com"}]}}
            """));
        var (_, chat) = await ClientAsync();

        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("Hi")]));

        Assert.Equal(502, error.Status);
        Assert.Contains("refused LLMTR's credentials", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The SDK passes an error event over without raising it, so this reads the stream as any HTTP client would: what
    /// was generated, then OpenAI's error object as the last event.
    /// </summary>
    [Theory]
    [InlineData(429, "RESOURCE_EXHAUSTED", "rate_limit_exceeded")]
    [InlineData(500, "INTERNAL", "provider_error")]
    public async Task EndAStreamWithAnErrorEventWhenGeminiFailsMidway(int code, string status, string type)
    {
        Gemini.Then(FakeGemini.Stream(SkyStream[0], FakeGemini.ErrorBody(code, status, "Gemini gave up.")));
        var (_, key) = await fixture.Gateway.FundedKeyAsync();
        using var http = fixture.Gateway.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = Model, stream = true, messages = new[] { new { role = "user", content = "Why is the sky blue?" } } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key.RawKey);

        using var response = await http.SendAsync(request);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(2, events.Length);
        Assert.Equal("The", JsonDocument.Parse(events[0]["data: ".Length..]).RootElement.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString());
        var error = JsonDocument.Parse(events[1]["data: ".Length..]).RootElement.GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Contains("Gemini gave up.", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private async Task<(string UserId, ChatClient Chat)> ClientAsync()
    {
        var (userId, key) = await fixture.Gateway.FundedKeyAsync();
        return (userId, fixture.Gateway.Chat(key.RawKey, Model));
    }

    private static ChatTool WeatherTool() => ChatTool.CreateFunctionTool(
        "get_weather",
        "Current weather in a city",
        BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}"""),
        functionSchemaIsStrict: true);

    private static async Task<List<StreamingChatCompletionUpdate>> ToListAsync(AsyncCollectionResult<StreamingChatCompletionUpdate> stream)
    {
        var updates = new List<StreamingChatCompletionUpdate>();
        await foreach (var update in stream)
        {
            updates.Add(update);
        }

        return updates;
    }

    private static string Text(IEnumerable<StreamingChatCompletionUpdate> updates) =>
        string.Concat(updates.SelectMany(u => u.ContentUpdate).Select(p => p.Text));

    private static void AssertUsage(ChatTokenUsage usage, int prompt, int completion, int cached, int reasoning)
    {
        Assert.Equal(prompt, usage.InputTokenCount);
        Assert.Equal(completion, usage.OutputTokenCount);
        Assert.Equal(prompt + completion, usage.TotalTokenCount);
        Assert.Equal(cached, usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(reasoning, usage.OutputTokenDetails.ReasoningTokenCount);
    }

    /// <summary>Billing got the counts Gemini reported: prompt, completion, cached and reasoning tokens.</summary>
    private async Task AssertRecordedAsync(string userId, string counts)
    {
        const string Query = """
            SELECT "PromptTokens" || ',' || "CompletionTokens" || ',' || "CachedPromptTokens" || ',' || "ReasoningTokens"
            FROM billing.usage_records WHERE "AccountId" = @a
            """;
        var connection = fixture.Gateway.Host.ConnectionString;
        await Poll.UntilAsync(async () => (await Sql.RowsAsync(connection, Query, ("a", userId))).Count == 1, "the usage row to be written");
        Assert.Equal(counts, Assert.Single(await Sql.RowsAsync(connection, Query, ("a", userId))));
    }
}

/// <summary>One fake Gemini and one gateway host for the class: each test queues its own answers and uses its own key.</summary>
public sealed class GeminiGatewayFixture : IAsyncLifetime
{
    public FakeGemini Gemini { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Gemini = await FakeGemini.StartAsync();
        Gateway = await GatewayHost.StartAsync([("google", Gemini.Upstream, "/")]);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Gemini.DisposeAsync();
    }
}
