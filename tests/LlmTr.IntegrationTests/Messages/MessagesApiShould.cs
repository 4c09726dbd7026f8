using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using LlmTr.IntegrationTests.Gateway;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;

namespace LlmTr.IntegrationTests.Messages;

/// <summary>
/// POST /v1/messages through the official Anthropic SDK: relayed natively to a Messages API provider, and translated
/// to and from an OpenAI-compatible one; plain, streamed and tool-use exchanges; billing as for chat completions.
/// </summary>
public sealed class MessagesApiShould(MessagesFixture fixture) : IClassFixture<MessagesFixture>
{
    private static readonly string[] EventSequence =
    [
        "message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop",
    ];

    private FakeAnthropic Anthropic => fixture.Anthropic;

    [Fact]
    public async Task RelayAPlainExchangeNativelyToAnAnthropicModel()
    {
        var (client, userId, _) = await fixture.ClientAsync();
        Anthropic.AnswerWith(FakeAnthropic.Message(FakeAnthropic.Text("Merhaba! Nasıl yardımcı olabilirim?"), "end_turn", new AnthropicTokens(14, 11, CacheRead: 100)));

        var message = await client.Messages.Create(new MessageCreateParams
        {
            Model = MessagesFixture.Claude,
            MaxTokens = 300,
            System = "You are concise.",
            Messages = [new UserMessageParam("Merhaba!")],
            Thinking = new ThinkingConfigEnabled { BudgetTokens = 1024 },
        });

        var sent = Anthropic.Last;
        Assert.Equal("/v1/messages", sent.PathAndQuery);
        Assert.Equal(GatewayHost.UpstreamKey("anthropic"), sent.Header("x-api-key"));
        Assert.NotNull(sent.Header("anthropic-version"));
        var body = sent.Json;
        Assert.Equal("claude-sonnet-4-5", body.GetProperty("model").GetString());
        Assert.Equal(300, body.GetProperty("max_tokens").GetInt32());
        Assert.Equal("You are concise.", body.GetProperty("system").GetString());
        Assert.Equal(1024, body.GetProperty("thinking").GetProperty("budget_tokens").GetInt32());
        Assert.Equal("Merhaba!", body.GetProperty("messages")[0].GetProperty("content").GetString());

        Assert.Equal(MessagesFixture.Claude, message.Model.Raw());
        Assert.StartsWith("msg_", message.ID, StringComparison.Ordinal);
        Assert.True(Assert.Single(message.Content).TryPickText(out var text));
        Assert.Equal("Merhaba! Nasıl yardımcı olabilirim?", text.Text);
        Assert.Equal("end_turn", message.StopReason!.Raw());
        Assert.Equal((14L, 100L, 11L), (message.Usage.InputTokens, message.Usage.CacheReadInputTokens ?? 0, message.Usage.OutputTokens));

        var row = await fixture.UsageAsync(userId);
        Assert.Equal((114L, 11L, 100L, false, MessagesFixture.Claude), (row.Prompt, row.Completion, row.Cached, row.Streamed, row.Model));
        Assert.Equal(message.ID, "msg_" + row.RequestId["req_".Length..]);
        Assert.True(row.Cost > 0);
    }

    [Fact]
    public async Task RelayAStreamNativelyWithAnthropicsEventSequence()
    {
        var (client, userId, _) = await fixture.ClientAsync();
        Anthropic.Stream(async events =>
        {
            await events.StartAsync(new AnthropicTokens(25, 0));
            await events.TextAsync("İstanbul ", "güzel.");
            await events.EndAsync("end_turn", 9);
        });

        List<string> seen = [];
        var text = new StringBuilder();
        long? outputTokens = null;
        await foreach (var item in client.Messages.CreateStreaming(Params(MessagesFixture.Claude, "Bir şehir söyle.")))
        {
            seen.Add(EventName(item));
            if (item.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var piece))
            {
                text.Append(piece.Text);
            }

            if (item.TryPickDelta(out var end))
            {
                outputTokens = end.Usage.OutputTokens;
            }
        }

        Assert.Equal(EventSequence, seen);
        Assert.Equal("İstanbul güzel.", text.ToString());
        Assert.Equal(9, outputTokens);
        Assert.True(Anthropic.Last.Json.GetProperty("stream").GetBoolean());
        var row = await fixture.UsageAsync(userId);
        Assert.Equal((25L, 9L, true), (row.Prompt, row.Completion, row.Streamed));
    }

    [Fact]
    public async Task CompleteAToolUseExchangeNatively()
    {
        var (client, _, _) = await fixture.ClientAsync();
        Anthropic.AnswerWith(FakeAnthropic.Message(
            FakeAnthropic.Text("Bakıyorum.") + "," + FakeAnthropic.ToolUse("toolu_01A09q90qw90lq917835lq9", "get_weather", """{"city":"İzmir"}"""), "tool_use"));
        var parameters = WeatherParams(MessagesFixture.Claude);

        var call = await client.Messages.Create(parameters);

        Assert.Equal("tool_use", call.StopReason!.Raw());
        var toolUse = call.Content.Select(b => b.TryPickToolUse(out var t) ? t : null).Single(t => t is not null)!;
        Assert.Equal(("toolu_01A09q90qw90lq917835lq9", "get_weather"), (toolUse.ID, toolUse.Name));
        Assert.Equal("İzmir", toolUse.Input["city"].GetString());
        Assert.Equal("get_weather", Anthropic.Last.Json.GetProperty("tools")[0].GetProperty("name").GetString());

        Anthropic.AnswerWith(FakeAnthropic.Message(FakeAnthropic.Text("İzmir'de hava 24°C ve güneşli.")));
        var answer = await client.Messages.Create(WithToolResult(parameters, call, toolUse.ID));

        var result = Anthropic.Last.Json.GetProperty("messages")[2].GetProperty("content")[0];
        Assert.Equal(("tool_result", "toolu_01A09q90qw90lq917835lq9"), (result.GetProperty("type").GetString(), result.GetProperty("tool_use_id").GetString()));
        Assert.True(Assert.Single(answer.Content).TryPickText(out var text));
        Assert.Equal("İzmir'de hava 24°C ve güneşli.", text.Text);
    }

    [Fact]
    public async Task TranslateAPlainExchangeToAnOpenAiCompatibleModel()
    {
        var (client, userId, _) = await fixture.ClientAsync();
        fixture.OpenAi.Respond = (_, context) => Sse.JsonAsync(context, 200, FakeOpenAi.Completion("Merhaba!", prompt: 20, completion: 4, cached: 5));

        var message = await client.Messages.Create(new MessageCreateParams
        {
            Model = MessagesFixture.Gpt,
            MaxTokens = 100,
            System = "Be brief.",
            StopSequences = ["END"],
            Messages =
            [
                new UserMessageParam("Selam"),
                new AssistantMessageParam("Selam!"),
                new UserMessageParam("Nasılsın?"),
            ],
        });

        var sent = fixture.OpenAi.Last;
        Assert.Equal("/v1/chat/completions", sent.PathAndQuery);
        Assert.Equal($"Bearer {GatewayHost.UpstreamKey("openai")}", sent.Header("Authorization"));
        var body = sent.Json;
        Assert.Equal("gpt-4o", body.GetProperty("model").GetString());
        Assert.Equal(100, body.GetProperty("max_tokens").GetInt32());
        Assert.Equal("END", body.GetProperty("stop")[0].GetString());
        var roles = body.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()).ToList();
        Assert.Equal(["system", "user", "assistant", "user"], roles);
        Assert.Equal("Be brief.", body.GetProperty("messages")[0].GetProperty("content").GetString());

        Assert.Equal(MessagesFixture.Gpt, message.Model.Raw());
        Assert.True(Assert.Single(message.Content).TryPickText(out var text));
        Assert.Equal("Merhaba!", text.Text);
        Assert.Equal("end_turn", message.StopReason!.Raw());
        Assert.Equal((15L, 5L, 4L), (message.Usage.InputTokens, message.Usage.CacheReadInputTokens ?? 0, message.Usage.OutputTokens));
        var row = await fixture.UsageAsync(userId);
        Assert.Equal((20L, 4L, 5L, MessagesFixture.Gpt), (row.Prompt, row.Completion, row.Cached, row.Model));
    }

    [Fact]
    public async Task TranslateAStreamFromAnOpenAiCompatibleModelIntoAnthropicsEventSequence()
    {
        var (client, userId, _) = await fixture.ClientAsync();
        fixture.OpenAi.Respond = (_, context) => FakeOpenAi.StreamAsync(context, ["Anka", "ra"], prompt: 12, completion: 3);

        List<string> seen = [];
        var text = new StringBuilder();
        RawMessageDeltaEvent? end = null;
        await foreach (var item in client.Messages.CreateStreaming(Params(MessagesFixture.Gpt, "Başkent?")))
        {
            seen.Add(EventName(item));
            if (item.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var piece))
            {
                text.Append(piece.Text);
            }

            if (item.TryPickDelta(out var last))
            {
                end = last;
            }
        }

        Assert.Equal(EventSequence, seen);
        Assert.Equal("Ankara", text.ToString());
        Assert.Equal("end_turn", end!.Delta.StopReason!.Raw());
        Assert.Equal((12L, 3L), (end.Usage.InputTokens ?? 0, end.Usage.OutputTokens));
        var body = fixture.OpenAi.Last.Json;
        Assert.True(body.GetProperty("stream").GetBoolean());
        Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        var row = await fixture.UsageAsync(userId);
        Assert.Equal((12L, 3L, true), (row.Prompt, row.Completion, row.Streamed));
    }

    [Fact]
    public async Task TranslateAToolUseExchangeToAnOpenAiCompatibleModel()
    {
        var (client, _, _) = await fixture.ClientAsync();
        fixture.OpenAi.Respond = (_, context) => Sse.JsonAsync(context, 200, ToolCallCompletion("call_abc", "get_weather", """{"city":"İzmir"}"""));
        var parameters = WeatherParams(MessagesFixture.Gpt);

        var call = await client.Messages.Create(parameters);

        var first = fixture.OpenAi.Last.Json;
        var tool = first.GetProperty("tools")[0];
        Assert.Equal(("function", "get_weather"), (tool.GetProperty("type").GetString(), tool.GetProperty("function").GetProperty("name").GetString()));
        Assert.Equal("string", tool.GetProperty("function").GetProperty("parameters").GetProperty("properties").GetProperty("city").GetProperty("type").GetString());
        Assert.Equal("required", first.GetProperty("tool_choice").GetString());
        Assert.Equal("tool_use", call.StopReason!.Raw());
        var toolUse = call.Content.Select(b => b.TryPickToolUse(out var t) ? t : null).Single(t => t is not null)!;
        Assert.Equal(("call_abc", "get_weather", "İzmir"), (toolUse.ID, toolUse.Name, toolUse.Input["city"].GetString()));

        fixture.OpenAi.Respond = (_, context) => Sse.JsonAsync(context, 200, FakeOpenAi.Completion("24°C, güneşli."));
        var answer = await client.Messages.Create(WithToolResult(parameters, call, toolUse.ID));

        var turns = fixture.OpenAi.Last.Json.GetProperty("messages");
        Assert.Equal(["user", "assistant", "tool"], turns.EnumerateArray().Select(m => m.GetProperty("role").GetString()).ToList());
        Assert.Equal("call_abc", turns[1].GetProperty("tool_calls")[0].GetProperty("id").GetString());
        Assert.Equal("İzmir", JsonDocument.Parse(turns[1].GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString()!).RootElement.GetProperty("city").GetString());
        Assert.Equal(("call_abc", "24°C and sunny"), (turns[2].GetProperty("tool_call_id").GetString(), turns[2].GetProperty("content").GetString()));
        Assert.True(Assert.Single(answer.Content).TryPickText(out var text));
        Assert.Equal("24°C, güneşli.", text.Text);
    }

    [Fact]
    public async Task StreamATranslatedToolCallAsAToolUseBlock()
    {
        var (client, _, _) = await fixture.ClientAsync();
        fixture.OpenAi.Respond = (_, context) => FakeOpenAi.StreamWeatherToolCallAsync(context);

        var message = await client.Messages.CreateStreaming(WeatherParams(MessagesFixture.Gpt)).Aggregate();

        Assert.Equal("tool_use", message.StopReason!.Raw());
        var toolUse = message.Content.Select(b => b.TryPickToolUse(out var t) ? t : null).Single(t => t is not null)!;
        Assert.Equal(("call_1", "get_weather", "Van"), (toolUse.ID, toolUse.Name, toolUse.Input["city"].GetString()));
    }

    [Fact]
    public async Task AnswerErrorsInAnthropicsFormatSoTheSdkRaisesItsOwnExceptions()
    {
        var (client, _, rawKey) = await fixture.ClientAsync();

        var unauthorized = await Assert.ThrowsAsync<AnthropicUnauthorizedException>(() => fixture.Client("llmtr-not-a-real-key").Messages.Create(Params(MessagesFixture.Claude, "hi")));
        Assert.Contains("API key", unauthorized.Message, StringComparison.Ordinal);
        var unknown = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => client.Messages.Create(Params("nobody/nothing", "hi")));
        Assert.Contains("does not exist", unknown.Message, StringComparison.Ordinal);
        Anthropic.FailWith(500, "api_error", "Internal server error");
        fixture.OpenAi.Respond = (_, context) => Sse.JsonAsync(context, 500, FakeOpenAi.Error("down too")); // Claude's catalog fallback fails as well
        var failed = await Assert.ThrowsAsync<Anthropic5xxException>(() => client.Messages.Create(Params(MessagesFixture.Claude, "hi")));
        Assert.Equal(502, (int)failed.StatusCode);

        using var http = fixture.Gateway.Host.CreateClient();
        var (status, error) = await PostAsync(http, rawKey, """{"model":"anthropic/claude-sonnet-4.5","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("'max_tokens' is required", error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("req_", error.GetProperty("request_id").GetString(), StringComparison.Ordinal);

        (status, error) = await PostAsync(http, rawKey, """{"model":"openai/gpt-4o","max_tokens":5,"messages":[{"role":"system","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("at least one 'user' or 'assistant' turn", error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        (status, error) = await PostAsync(http, rawKey, "{not json");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request_error", error.GetProperty("error").GetProperty("type").GetString());

        (status, error) = await PostAsync(http, null, """{"model":"openai/gpt-4o","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("authentication_error", error.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("x-api-key", error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndAStreamWithAnAnthropicErrorEventWhenTheProviderFailsMidway()
    {
        var (client, _, _) = await fixture.ClientAsync();
        Anthropic.Stream(async events =>
        {
            await events.StartAsync(new AnthropicTokens(10, 0));
            await events.ErrorAsync("overloaded_error", "Overloaded");
        });

        List<string> seen = [];
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await foreach (var item in client.Messages.CreateStreaming(Params(MessagesFixture.Claude, "hi")))
            {
                seen.Add(EventName(item));
            }
        });

        Assert.Equal(["message_start"], seen);
        Assert.Contains("Overloaded", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcceptTheKeyAsABearerTokenToo()
    {
        var (_, _, rawKey) = await fixture.ClientAsync();
        fixture.OpenAi.Respond = (_, context) => Sse.JsonAsync(context, 200, FakeOpenAi.Completion("ok"));
        using var http = fixture.Gateway.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""{"model":"openai/gpt-4o","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", rawKey);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("message", message.GetProperty("type").GetString());
        Assert.Equal("ok", message.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task CountTokensThroughAnAnthropicProviderAndRefuseItElsewhere()
    {
        var (client, _, _) = await fixture.ClientAsync();
        Anthropic.Answer((_, context) => Sse.JsonAsync(context, 200, """{"input_tokens":42}"""));

        var count = await client.Messages.CountTokens(new MessageCountTokensParams
        {
            Model = MessagesFixture.Claude,
            Messages = [new UserMessageParam("Kaç token?")],
        });

        Assert.Equal(42, count.InputTokens);
        Assert.Equal("/v1/messages/count_tokens", Anthropic.Last.PathAndQuery);
        Assert.Equal("claude-sonnet-4-5", Anthropic.Last.Json.GetProperty("model").GetString());
        Assert.False(Anthropic.Last.Json.TryGetProperty("max_tokens", out _));
        var refused = await Assert.ThrowsAsync<AnthropicBadRequestException>(() => client.Messages.CountTokens(new MessageCountTokensParams
        {
            Model = MessagesFixture.Gpt,
            Messages = [new UserMessageParam("Kaç token?")],
        }));
        Assert.Contains("no token counting", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CountTokensWithoutCreditAndRecordWhereTheContentWentAtNoCost()
    {
        var (userId, key) = await fixture.Gateway.FundedKeyAsync(credit: 0m);
        var client = fixture.Client(key.RawKey);
        Anthropic.Answer((_, context) => Sse.JsonAsync(context, 200, """{"input_tokens":7}"""));

        var count = await client.Messages.CountTokens(new MessageCountTokensParams
        {
            Model = MessagesFixture.Claude,
            Messages = [new UserMessageParam("Merhaba")],
        });

        Assert.Equal(7, count.InputTokens);
        var row = await fixture.UsageAsync(userId);
        Assert.Equal((0L, 0L, 0m, MessagesFixture.Claude), (row.Prompt, row.Completion, row.Cost, row.Model));
        var countries = await Sql.RowsAsync(fixture.Gateway.Host.ConnectionString,
            """SELECT array_to_string("ProcessedIn", ',') FROM billing.usage_records WHERE "RequestId" = @id""", ("id", row.RequestId));
        Assert.NotEqual("", Assert.Single(countries));
    }

    private static MessageCreateParams Params(string model, string text) => new()
    {
        Model = model,
        MaxTokens = 64,
        Messages = [new UserMessageParam(text)],
    };

    private static MessageCreateParams WeatherParams(string model) => new()
    {
        Model = model,
        MaxTokens = 200,
        Messages = [new UserMessageParam("İzmir'de hava nasıl?")],
        Tools =
        [
            new Tool
            {
                Name = "get_weather",
                Description = "Current weather for a city.",
                InputSchema = new InputSchema
                {
                    Properties = new Dictionary<string, JsonElement> { ["city"] = JsonDocument.Parse("""{"type":"string"}""").RootElement },
                    Required = ["city"],
                },
            },
        ],
        ToolChoice = new ToolChoiceAny(),
    };

    private static MessageCreateParams WithToolResult(MessageCreateParams parameters, Message call, string toolUseId) => parameters with
    {
        ToolChoice = new ToolChoiceAuto(),
        Messages =
        [
            .. parameters.Messages,
            new AssistantMessageParam(call.Content.Select(ToParam).ToList()),
            new UserMessageParam(new List<ContentBlockParam> { new ToolResultBlockParam { ToolUseID = toolUseId, Content = "24°C and sunny" } }),
        ],
    };

    /// <summary>An answer's content block as the client sends it back in the next turn.</summary>
    private static ContentBlockParam ToParam(ContentBlock block) =>
        block.TryPickToolUse(out var toolUse)
            ? new ToolUseBlockParam { ID = toolUse.ID, Name = toolUse.Name, Input = toolUse.Input }
            : new TextBlockParam(block.TryPickText(out var text) ? text.Text : "");

    private static string ToolCallCompletion(string id, string name, string arguments) => JsonSerializer.Serialize(new
    {
        id = "chatcmpl-upstream-2",
        @object = "chat.completion",
        created = 1_739_200_000,
        model = "gpt-4o",
        choices = new[]
        {
            new
            {
                index = 0,
                message = new { role = "assistant", content = (string?)null, tool_calls = new[] { new { id, type = "function", function = new { name, arguments } } } },
                finish_reason = "tool_calls",
            },
        },
        usage = FakeOpenAi.Usage(30, 10),
    });

    private static string EventName(RawMessageStreamEvent item) => item.Match(
        _ => "message_start", _ => "message_delta", _ => "message_stop", _ => "content_block_start", _ => "content_block_delta", _ => "content_block_stop");

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient http, string? rawKey, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (rawKey is not null)
        {
            request.Headers.Add("x-api-key", rawKey);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
