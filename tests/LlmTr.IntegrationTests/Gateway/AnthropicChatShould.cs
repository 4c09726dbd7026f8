using System.ClientModel;
using System.Text.Json;
using LlmTr.Testing.Upstreams;
using OpenAI.Chat;

namespace LlmTr.IntegrationTests.Gateway;

/// <summary>Non-streamed chat completions of a Claude model, from the official OpenAI SDK through the gateway to Anthropic's Messages API.</summary>
public sealed class AnthropicChatShould(AnthropicFixture fixture) : IClassFixture<AnthropicFixture>
{
    private FakeAnthropic Anthropic => fixture.Anthropic;

    [Fact]
    public async Task SendTheTranslatedRequestWithTheConfiguredCredentialAndReturnOpenAisShape()
    {
        var (chat, userId) = await fixture.ClientAsync();
        Anthropic.AnswerWith(FakeAnthropic.Message(FakeAnthropic.Text("Merhaba! Size nasıl yardımcı olabilirim?"), "end_turn", new AnthropicTokens(14, 11, CacheRead: 1200, CacheCreation: 30)));

        ChatCompletion completion = await chat.CompleteChatAsync(
            [new SystemChatMessage("You are a helpful assistant."), new UserChatMessage("Merhaba!")],
            new ChatCompletionOptions { Temperature = 1.4f, MaxOutputTokenCount = 300, EndUserId = "user-7", StopSequences = { "END" } });

        var sent = Anthropic.Last;
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v1/messages", sent.PathAndQuery);
        Assert.Equal(GatewayHost.UpstreamKey("anthropic"), sent.Header("x-api-key"));
        Assert.Equal("2023-06-01", sent.Header("anthropic-version"));
        Assert.Null(sent.Header("Authorization"));
        var body = sent.Json;
        Assert.Equal("claude-sonnet-4-5", body.GetProperty("model").GetString());
        Assert.Equal(300, body.GetProperty("max_tokens").GetInt32());
        Assert.Equal(1.0, body.GetProperty("temperature").GetDouble());
        Assert.Equal("You are a helpful assistant.", body.GetProperty("system")[0].GetProperty("text").GetString());
        Assert.Equal("user", body.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.Equal("Merhaba!", body.GetProperty("messages")[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("END", body.GetProperty("stop_sequences")[0].GetString());
        Assert.Equal("user-7", body.GetProperty("metadata").GetProperty("user_id").GetString());
        Assert.False(body.TryGetProperty("stream", out _));

        Assert.Equal("Merhaba! Size nasıl yardımcı olabilirim?", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.Equal(AnthropicFixture.ModelId, completion.Model);
        Assert.StartsWith("chatcmpl-req_", completion.Id, StringComparison.Ordinal);
        Assert.Equal(14 + 1200 + 30, completion.Usage.InputTokenCount);
        Assert.Equal(1200, completion.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(11, completion.Usage.OutputTokenCount);
        Assert.Equal(14 + 1200 + 30 + 11, completion.Usage.TotalTokenCount);

        var row = await fixture.UsageAsync(userId);
        Assert.Equal((1244L, 11L, 1200L), (row.PromptTokens, row.CompletionTokens, row.CachedPromptTokens));
        Assert.Equal(completion.Id, "chatcmpl-" + row.RequestId);
        Assert.True(row.Cost > 0);
        Assert.False(row.Streamed);
    }

    [Fact]
    public async Task CompleteAToolsRoundTrip()
    {
        var (chat, _) = await fixture.ClientAsync();
        var weather = ChatTool.CreateFunctionTool("get_weather", "Current weather for a city.", BinaryData.FromString("""
            {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}
            """));
        var options = new ChatCompletionOptions { Tools = { weather }, ToolChoice = ChatToolChoice.CreateRequiredChoice(), AllowParallelToolCalls = false };
        List<ChatMessage> messages = [new UserChatMessage("What is the weather in İzmir?")];
        Anthropic.AnswerWith(FakeAnthropic.Message(
            FakeAnthropic.Text("Let me check.") + "," + FakeAnthropic.ToolUse("toolu_01A09q90qw90lq917835lq9", "get_weather", """{"city":"İzmir"}"""), "tool_use"));

        ChatCompletion call = await chat.CompleteChatAsync(messages, options);

        var first = Anthropic.Last.Json;
        Assert.Equal("get_weather", first.GetProperty("tools")[0].GetProperty("name").GetString());
        Assert.Equal("string", first.GetProperty("tools")[0].GetProperty("input_schema").GetProperty("properties").GetProperty("city").GetProperty("type").GetString());
        Assert.Equal("""{"type":"any","disable_parallel_tool_use":true}""", first.GetProperty("tool_choice").GetRawText());
        Assert.Equal(ChatFinishReason.ToolCalls, call.FinishReason);
        var toolCall = Assert.Single(call.ToolCalls);
        Assert.Equal("toolu_01A09q90qw90lq917835lq9", toolCall.Id);
        Assert.Equal("get_weather", toolCall.FunctionName);
        Assert.Equal("İzmir", JsonDocument.Parse(toolCall.FunctionArguments).RootElement.GetProperty("city").GetString());
        Assert.Equal("Let me check.", call.Content[0].Text);

        messages.Add(new AssistantChatMessage(call));
        messages.Add(new ToolChatMessage(toolCall.Id, "24°C and sunny"));
        Anthropic.AnswerWith(FakeAnthropic.Message(FakeAnthropic.Text("It is 24°C and sunny in İzmir.")));
        options.ToolChoice = ChatToolChoice.CreateAutoChoice();

        ChatCompletion answer = await chat.CompleteChatAsync(messages, options);

        var turns = Anthropic.Last.Json.GetProperty("messages");
        Assert.Equal(3, turns.GetArrayLength());
        var assistant = turns[1].GetProperty("content");
        Assert.Equal("assistant", turns[1].GetProperty("role").GetString());
        Assert.Equal("Let me check.", assistant[0].GetProperty("text").GetString());
        Assert.Equal("tool_use", assistant[1].GetProperty("type").GetString());
        Assert.Equal("toolu_01A09q90qw90lq917835lq9", assistant[1].GetProperty("id").GetString());
        Assert.Equal("İzmir", assistant[1].GetProperty("input").GetProperty("city").GetString());
        var result = turns[2].GetProperty("content")[0];
        Assert.Equal("user", turns[2].GetProperty("role").GetString());
        Assert.Equal("tool_result", result.GetProperty("type").GetString());
        Assert.Equal("toolu_01A09q90qw90lq917835lq9", result.GetProperty("tool_use_id").GetString());
        Assert.Equal("24°C and sunny", result.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("It is 24°C and sunny in İzmir.", answer.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, answer.FinishReason);
    }

    [Fact]
    public async Task AnswerAJsonSchemaRequestWithTheAnswerToolsInputAsContent()
    {
        var (chat, _) = await fixture.ClientAsync();
        var format = ChatResponseFormat.CreateJsonSchemaFormat("city_facts", BinaryData.FromString("""
            {"type":"object","properties":{"city":{"type":"string"},"population":{"type":"integer"}},"required":["city","population"],"additionalProperties":false}
            """), jsonSchemaIsStrict: true);
        Anthropic.AnswerWith(FakeAnthropic.Message(FakeAnthropic.ToolUse("toolu_01", "city_facts", """{"city":"Ankara","population":5800000}"""), "tool_use"));

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Facts about Ankara.")], new ChatCompletionOptions { ResponseFormat = format });

        var body = Anthropic.Last.Json;
        Assert.Equal("city_facts", body.GetProperty("tools")[0].GetProperty("name").GetString());
        Assert.Equal("integer", body.GetProperty("tools")[0].GetProperty("input_schema").GetProperty("properties").GetProperty("population").GetProperty("type").GetString());
        Assert.Equal("""{"type":"tool","name":"city_facts"}""", body.GetProperty("tool_choice").GetRawText());
        Assert.Empty(completion.ToolCalls);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        var facts = JsonDocument.Parse(completion.Content[0].Text).RootElement;
        Assert.Equal("Ankara", facts.GetProperty("city").GetString());
        Assert.Equal(5_800_000, facts.GetProperty("population").GetInt32());
    }

    [Fact]
    public async Task AskForAJsonObjectInTheSystemPrompt()
    {
        var (chat, _) = await fixture.ClientAsync();
        Anthropic.AnswerWith(FakeAnthropic.Message(FakeAnthropic.Text("""{"greeting":"merhaba"}""")));

        ChatCompletion completion = await chat.CompleteChatAsync(
            [new SystemChatMessage("Reply in JSON."), new UserChatMessage("Greet me.")],
            new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat() });

        var system = Anthropic.Last.Json.GetProperty("system");
        Assert.Equal("Reply in JSON.", system[0].GetProperty("text").GetString());
        Assert.Contains("JSON object", system[1].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("merhaba", JsonDocument.Parse(completion.Content[0].Text).RootElement.GetProperty("greeting").GetString());
    }

    [Fact]
    public async Task SendImagePartsAsBase64OrByUrl()
    {
        var (chat, _) = await fixture.ClientAsync();
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        Anthropic.AnswerWith(FakeAnthropic.Message(FakeAnthropic.Text("Two pictures of cats.")));

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("What is in these?"),
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(png), "image/png"),
            ChatMessageContentPart.CreateImagePart(new Uri("https://images.example.com/cat.jpg")))]);

        var content = Anthropic.Last.Json.GetProperty("messages")[0].GetProperty("content");
        Assert.Equal("What is in these?", content[0].GetProperty("text").GetString());
        var inline = content[1].GetProperty("source");
        Assert.Equal("image", content[1].GetProperty("type").GetString());
        Assert.Equal("base64", inline.GetProperty("type").GetString());
        Assert.Equal("image/png", inline.GetProperty("media_type").GetString());
        Assert.Equal(png, Convert.FromBase64String(inline.GetProperty("data").GetString()!));
        Assert.Equal("url", content[2].GetProperty("source").GetProperty("type").GetString());
        Assert.Equal("https://images.example.com/cat.jpg", content[2].GetProperty("source").GetProperty("url").GetString());
        Assert.Equal("Two pictures of cats.", completion.Content[0].Text);
    }

    [Theory]
    [InlineData(529, "overloaded_error", "Overloaded", 502)]
    [InlineData(500, "api_error", "Internal server error", 502)]
    [InlineData(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", 429)]
    [InlineData(401, "authentication_error", "invalid x-api-key", 502)]
    [InlineData(400, "invalid_request_error", "messages.0.content.1.image.source.base64: image exceeds 5 MB maximum", 400)]
    public async Task AnswerUpstreamErrorsWithThePublicStatus(int upstreamStatus, string type, string message, int status)
    {
        var (chat, _) = await fixture.ClientAsync();
        Anthropic.FailWith(upstreamStatus, type, message);

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("Hello")]));

        Assert.Equal(status, failure.Status);
        Assert.DoesNotContain(GatewayHost.UpstreamKey("anthropic"), failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Anthropic.Upstream.BaseAddress.Authority, failure.Message, StringComparison.Ordinal);
        if (status == 400)
        {
            Assert.Contains("image exceeds 5 MB maximum", failure.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnswerABodyThatIsNotAMessageWith502()
    {
        var (chat, _) = await fixture.ClientAsync();
        Anthropic.AnswerWith("""{"type":"message","role":"assistant"}""");

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("Hello")]));

        Assert.Equal(502, failure.Status);
    }
}
