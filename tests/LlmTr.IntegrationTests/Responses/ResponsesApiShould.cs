using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Testing.Upstreams;
using OpenAI.Chat;
using OpenAI.Responses;

#pragma warning disable OPENAI001 // The SDK marks its Responses client experimental; the wire format it speaks is what is tested.

namespace LlmTr.IntegrationTests.Responses;

/// <summary>
/// POST /v1/responses through the official OpenAI SDK's Responses client: the demo model, and OpenAI-compatible,
/// Anthropic and Gemini providers translated both ways; plain, streamed and function-tool exchanges; billing as for
/// chat completions; and the stateful parts of the API that LLMTR refuses because it stores nothing.
/// </summary>
public sealed class ResponsesApiShould(ResponsesFixture fixture) : IClassFixture<ResponsesFixture>
{
    internal static readonly StreamingResponseUpdateKind[] TextEvents =
    [
        StreamingResponseUpdateKind.ResponseCreated, StreamingResponseUpdateKind.ResponseInProgress, StreamingResponseUpdateKind.ResponseOutputItemAdded,
        StreamingResponseUpdateKind.ResponseContentPartAdded, StreamingResponseUpdateKind.ResponseOutputTextDelta, StreamingResponseUpdateKind.ResponseOutputTextDelta,
        StreamingResponseUpdateKind.ResponseOutputTextDone, StreamingResponseUpdateKind.ResponseContentPartDone, StreamingResponseUpdateKind.ResponseOutputItemDone,
        StreamingResponseUpdateKind.ResponseCompleted,
    ];

    [Fact]
    public async Task AnswerWithTheDemoModel()
    {
        var (client, userId, _) = await fixture.ClientAsync();

        ResponseResult response = await client.CreateResponseAsync(ResponsesFixture.Demo, "Merhaba dünya");

        Assert.StartsWith("resp_", response.Id, StringComparison.Ordinal);
        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.Equal(ResponsesFixture.Demo, response.Model);
        Assert.False(string.IsNullOrEmpty(response.GetOutputText()));
        var message = Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(response.OutputItems));
        Assert.StartsWith("msg_", message.Id, StringComparison.Ordinal);
        Assert.True(response.Usage.OutputTokenCount > 0);
        var row = await fixture.UsageAsync(userId);
        Assert.Equal(response.Id, "resp_" + row.RequestId["req_".Length..]);
        Assert.Equal((ResponsesFixture.Demo, false), (row.Model, row.Streamed));
    }

    [Fact]
    public async Task StreamTheDemoModelsAnswer()
    {
        var (client, userId, _) = await fixture.ClientAsync();

        var (kinds, text, completed) = await StreamAsync(client, new CreateResponseOptions(ResponsesFixture.Demo, [ResponseItem.CreateUserMessageItem("Merhaba dünya")]));

        Assert.Equal(StreamingResponseUpdateKind.ResponseCreated, kinds[0]);
        Assert.Equal(StreamingResponseUpdateKind.ResponseCompleted, kinds[^1]);
        Assert.Equal(completed.GetOutputText(), text);
        Assert.False(string.IsNullOrEmpty(text));
        Assert.Equal((await fixture.UsageAsync(userId)).Completion, completed.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task TranslateAPlainExchangeToAnOpenAiCompatibleModelAndBillItAsChatDoes()
    {
        var (client, userId, rawKey) = await fixture.ClientAsync();
        fixture.OpenAi.Respond = (_, context) => Sse.JsonAsync(context, 200, FakeOpenAi.Completion("Merhaba!", prompt: 2000, completion: 400, cached: 500));

        var result = await client.CreateResponseAsync(new CreateResponseOptions(ResponsesFixture.Compatible, [ResponseItem.CreateUserMessageItem("Selam")])
        {
            Instructions = "Be brief.",
            MaxOutputTokenCount = 100,
            Temperature = 0.3f,
            StoredOutputEnabled = false,
        });
        ResponseResult response = result;
        var raw = JsonDocument.Parse(result.GetRawResponse().Content.ToString()).RootElement;

        var sent = fixture.OpenAi.Last.Json;
        Assert.Equal("/v1/chat/completions", fixture.OpenAi.Last.PathAndQuery);
        Assert.Equal("deepseek-v4-flash", sent.GetProperty("model").GetString());
        var messages = sent.GetProperty("messages");
        Assert.Equal(("system", "Be brief."), (messages[0].GetProperty("role").GetString(), messages[0].GetProperty("content").GetString()));
        Assert.Equal("user", messages[1].GetProperty("role").GetString());
        Assert.Equal(100, sent.GetProperty("max_completion_tokens").GetInt32());
        Assert.Equal("Merhaba!", response.GetOutputText());
        Assert.Equal(ResponsesFixture.Compatible, response.Model);
        Assert.Equal(("Be brief.", false, 100), (raw.GetProperty("instructions").GetString(), raw.GetProperty("store").GetBoolean(), raw.GetProperty("max_output_tokens").GetInt32()));
        Assert.Equal((2000, 500, 400, 2400), (response.Usage.InputTokenCount, response.Usage.InputTokenDetails.CachedTokenCount, response.Usage.OutputTokenCount, response.Usage.TotalTokenCount));
        var row = await fixture.UsageAsync(userId);
        Assert.Equal((2000L, 400L, 500L, false, ResponsesFixture.Compatible), (row.Prompt, row.Completion, row.Cached, row.Streamed, row.Model));
        Assert.True(row.Cost > 0);
        Assert.Equal(row.Cost, raw.GetProperty("usage").GetProperty("cost").GetDecimal());

        // The same exchange through chat completions costs the same.
        var (chatUser, chatKey) = await fixture.Gateway.FundedKeyAsync();
        await fixture.Gateway.Chat(chatKey.RawKey, ResponsesFixture.Compatible).CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Selam")]);
        var chatRow = await fixture.UsageAsync(chatUser);
        Assert.Equal((row.Prompt, row.Completion, row.Cached, row.Cost), (chatRow.Prompt, chatRow.Completion, chatRow.Cached, chatRow.Cost));
        Assert.NotEqual(rawKey, chatKey.RawKey);
    }

    [Fact]
    public async Task StreamAnOpenAiCompatibleAnswerWithTheResponsesEventSequence()
    {
        var (client, userId, _) = await fixture.ClientAsync();
        fixture.OpenAi.Respond = (_, context) => FakeOpenAi.StreamAsync(context, ["Anka", "ra"], prompt: 12, completion: 3);

        var (kinds, text, completed) = await StreamAsync(client, new CreateResponseOptions(ResponsesFixture.Compatible, [ResponseItem.CreateUserMessageItem("Başkent?")]));

        Assert.Equal(TextEvents, kinds);
        Assert.Equal("Ankara", text);
        Assert.Equal("Ankara", completed.GetOutputText());
        Assert.Equal((12, 3), (completed.Usage.InputTokenCount, completed.Usage.OutputTokenCount));
        var sent = fixture.OpenAi.Last.Json;
        Assert.True(sent.GetProperty("stream").GetBoolean());
        Assert.True(sent.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        var row = await fixture.UsageAsync(userId);
        Assert.Equal((12L, 3L, true), (row.Prompt, row.Completion, row.Streamed));
    }

    [Fact]
    public async Task CompleteAFunctionToolRoundTrip()
    {
        var (client, _, _) = await fixture.ClientAsync();
        fixture.OpenAi.Respond = (_, context) => Sse.JsonAsync(context, 200, ToolCallCompletion("call_abc", "get_weather", """{"city":"İzmir"}"""));
        var tool = ResponseTool.CreateFunctionTool("get_weather", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""),
            strictModeEnabled: false, functionDescription: "The weather in a city now");
        var question = ResponseItem.CreateUserMessageItem("İzmir'de hava nasıl?");
        var options = new CreateResponseOptions(ResponsesFixture.Compatible, [question]) { Tools = { tool } };

        ResponseResult first = await client.CreateResponseAsync(options);

        var sentTool = fixture.OpenAi.Last.Json.GetProperty("tools")[0];
        Assert.Equal(("function", "get_weather"), (sentTool.GetProperty("type").GetString(), sentTool.GetProperty("function").GetProperty("name").GetString()));
        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(first.OutputItems));
        Assert.Equal(("call_abc", "get_weather", """{"city":"İzmir"}"""), (call.CallId, call.FunctionName, call.FunctionArguments.ToString()));
        Assert.StartsWith("fc_", call.Id, StringComparison.Ordinal);

        fixture.OpenAi.Respond = (_, context) => Sse.JsonAsync(context, 200, FakeOpenAi.Completion("İzmir'de hava 24°C ve güneşli."));
        var next = new CreateResponseOptions(ResponsesFixture.Compatible, [question, .. first.OutputItems, ResponseItem.CreateFunctionCallOutputItem("call_abc", "24°C, güneşli")])
        {
            Tools = { tool },
        };
        ResponseResult answer = await client.CreateResponseAsync(next);

        var turns = fixture.OpenAi.Last.Json.GetProperty("messages");
        Assert.Equal(3, turns.GetArrayLength());
        var assistantCall = turns[1].GetProperty("tool_calls")[0];
        Assert.Equal(("assistant", "call_abc", "get_weather"), (turns[1].GetProperty("role").GetString(), assistantCall.GetProperty("id").GetString(), assistantCall.GetProperty("function").GetProperty("name").GetString()));
        Assert.Equal(("tool", "call_abc", "24°C, güneşli"), (turns[2].GetProperty("role").GetString(), turns[2].GetProperty("tool_call_id").GetString(), turns[2].GetProperty("content").GetString()));
        Assert.Equal("İzmir'de hava 24°C ve güneşli.", answer.GetOutputText());
    }

    [Fact]
    public async Task StreamAFunctionCallWithItsArguments()
    {
        var (client, _, _) = await fixture.ClientAsync();
        fixture.OpenAi.Respond = (_, context) => FakeOpenAi.StreamWeatherToolCallAsync(context);
        var options = new CreateResponseOptions(ResponsesFixture.Compatible, [ResponseItem.CreateUserMessageItem("Van?")])
        {
            Tools = { ResponseTool.CreateFunctionTool("get_weather", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}}}"""), strictModeEnabled: false) },
        };

        options.StreamingEnabled = true;
        List<StreamingResponseUpdate> updates = [];
        await foreach (var update in await client.CreateResponseStreamingAsync(options))
        {
            updates.Add(update);
        }

        var deltas = updates.OfType<StreamingResponseFunctionCallArgumentsDeltaUpdate>().Select(d => d.Delta.ToString());
        Assert.Equal(["{\"city\":", "\"Van\"}"], deltas);
        var done = Assert.Single(updates.OfType<StreamingResponseFunctionCallArgumentsDoneUpdate>());
        Assert.Equal(("get_weather", "{\"city\":\"Van\"}"), (done.FunctionName, done.FunctionArguments.ToString()));
        var completed = Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]).Response;
        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(completed.OutputItems));
        Assert.Equal(("call_1", done.ItemId), (call.CallId, call.Id));
        Assert.Equal(Enumerable.Range(0, updates.Count), updates.Select(u => u.SequenceNumber));
    }

    [Fact]
    public async Task StreamAnAnthropicModelsAnswerTranslated()
    {
        var (client, userId, _) = await fixture.ClientAsync();
        fixture.Anthropic.Stream(async events =>
        {
            await events.StartAsync(new AnthropicTokens(25, 0));
            await events.TextAsync("İstanbul ", "güzel.");
            await events.EndAsync("end_turn", 9);
        });

        var (kinds, text, completed) = await StreamAsync(client, new CreateResponseOptions(ResponsesFixture.Claude, [ResponseItem.CreateUserMessageItem("Bir şehir söyle.")])
        {
            Instructions = "Be brief.",
        });

        Assert.Equal(TextEvents, kinds);
        Assert.Equal("İstanbul güzel.", text);
        Assert.Equal((ResponsesFixture.Claude, 25, 9), (completed.Model, completed.Usage.InputTokenCount, completed.Usage.OutputTokenCount));
        var sent = fixture.Anthropic.Last.Json;
        Assert.Equal("Be brief.", sent.GetProperty("system").ValueKind == JsonValueKind.String ? sent.GetProperty("system").GetString() : sent.GetProperty("system")[0].GetProperty("text").GetString());
        var row = await fixture.UsageAsync(userId);
        Assert.Equal((25L, 9L, true), (row.Prompt, row.Completion, row.Streamed));
    }

    [Fact]
    public async Task AnswerAnAnthropicModelTranslatedWithoutAStream()
    {
        var (client, _, _) = await fixture.ClientAsync();
        fixture.Anthropic.AnswerWith(FakeAnthropic.Message(FakeAnthropic.Text("Merhaba!"), "max_tokens", new AnthropicTokens(14, 11)));

        ResponseResult response = await client.CreateResponseAsync(ResponsesFixture.Claude, "Merhaba");

        Assert.Equal("Merhaba!", response.GetOutputText());
        Assert.Equal(ResponseStatus.Incomplete, response.Status);
        Assert.Equal(ResponseIncompleteStatusReason.MaxOutputTokens, response.IncompleteStatusDetails.Reason);
    }

    [Fact]
    public async Task StreamAGeminiModelsAnswerTranslated()
    {
        var (client, userId, _) = await fixture.ClientAsync();
        fixture.Google.Reset().Then(FakeGemini.Stream(
            """{"candidates":[{"content":{"parts":[{"text":"The sky"}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":8,"totalTokenCount":8},"modelVersion":"gemini-2.5-flash"}""",
            """{"candidates":[{"content":{"parts":[{"text":" is blue."}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":5,"thoughtsTokenCount":20,"totalTokenCount":33},"modelVersion":"gemini-2.5-flash"}"""));

        var (kinds, text, completed) = await StreamAsync(client, new CreateResponseOptions(ResponsesFixture.Gemini, [ResponseItem.CreateUserMessageItem("Why is the sky blue?")]));

        Assert.Equal(TextEvents, kinds);
        Assert.Equal("The sky is blue.", text);
        Assert.Equal((8, 25, 20), (completed.Usage.InputTokenCount, completed.Usage.OutputTokenCount, completed.Usage.OutputTokenDetails.ReasoningTokenCount));
        Assert.Contains(":streamGenerateContent", fixture.Google.OnlyRequest().PathAndQuery, StringComparison.Ordinal);
        var row = await fixture.UsageAsync(userId);
        Assert.Equal((8L, 25L, true), (row.Prompt, row.Completion, row.Streamed));
    }

    [Fact]
    public async Task RefuseAPreviousResponseIdBecauseNothingIsStored()
    {
        var (client, _, _) = await fixture.ClientAsync();
        var before = fixture.OpenAi.Server.Received.Count;

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => client.CreateResponseAsync(ResponsesFixture.Gpt, "Devam et", previousResponseId: "resp_123"));

        Assert.Equal(400, failure.Status);
        var error = ErrorOf(failure);
        Assert.Equal(("invalid_request_error", "unsupported_feature", "previous_response_id"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString(), error.GetProperty("param").GetString()));
        Assert.Contains("stores no responses", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, fixture.OpenAi.Server.Received.Count);
    }

    [Fact]
    public async Task RefuseABuiltInToolNamingIt()
    {
        var (client, _, _) = await fixture.ClientAsync();

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => client.CreateResponseAsync(
            new CreateResponseOptions(ResponsesFixture.Compatible, [ResponseItem.CreateUserMessageItem("Haberler?")]) { Tools = { ResponseTool.CreateFileSearchTool(["vs_1"]) } }));

        Assert.Equal(400, failure.Status);
        var error = ErrorOf(failure);
        Assert.Equal(("unsupported_feature", "tools[0].type"), (error.GetProperty("code").GetString(), error.GetProperty("param").GetString()));
        Assert.Contains("file_search", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/v1/responses/resp_123")]
    [InlineData("DELETE", "/v1/responses/resp_123")]
    [InlineData("POST", "/v1/responses/resp_123/cancel")]
    [InlineData("GET", "/v1/responses/resp_123/input_items")]
    public async Task AnswerReadsOfAStoredResponseWith404(string method, string path)
    {
        var (_, _, rawKey) = await fixture.ClientAsync();
        using var http = fixture.Gateway.Host.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", rawKey);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal(("invalid_request_error", "response_not_found"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
        Assert.Contains("stores no responses", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefuseAModelOutsideTheKeysScopeInOpenAisFormat()
    {
        var (_, key) = await fixture.Gateway.FundedKeyAsync(key: new NewApiKey("regulated", TurkeyOnly: true));

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => fixture.Client(key.RawKey).CreateResponseAsync(ResponsesFixture.Gpt, "hi"));

        Assert.Equal(403, failure.Status);
        var error = ErrorOf(failure);
        Assert.Equal(("forbidden", "model_not_allowed"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task RefuseAnAccountWithoutCreditInOpenAisFormat()
    {
        var (_, key) = await fixture.Gateway.FundedKeyAsync(credit: 0);

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => fixture.Client(key.RawKey).CreateResponseAsync(ResponsesFixture.Gpt, "hi"));

        Assert.Equal(402, failure.Status);
        Assert.Equal("insufficient_credits", ErrorOf(failure).GetProperty("code").GetString());
    }

    [Fact]
    public async Task EndAStreamThatFailsWithAFailedResponse()
    {
        var (client, _, _) = await fixture.ClientAsync();
        fixture.OpenAi.Respond = async (_, context) =>
        {
            Sse.Start(context);
            await Sse.DataAsync(context, FakeOpenAi.Chunk(new { role = "assistant", content = "Yarım" }));
            await Sse.DataAsync(context, """{"error":{"message":"upstream overloaded","type":"server_error"}}""");
        };

        List<StreamingResponseUpdate> updates = [];
        await foreach (var update in await client.CreateResponseStreamingAsync(new CreateResponseOptions(ResponsesFixture.Compatible, [ResponseItem.CreateUserMessageItem("hi")]) { StreamingEnabled = true }))
        {
            updates.Add(update);
        }

        Assert.IsType<StreamingResponseErrorUpdate>(updates[^2]);
        var failed = Assert.IsType<StreamingResponseFailedUpdate>(updates[^1]).Response;
        Assert.Equal(ResponseStatus.Failed, failed.Status);
        Assert.Contains("upstream overloaded", failed.Error.Message, StringComparison.Ordinal);
    }

    internal static async Task<(List<StreamingResponseUpdateKind> Kinds, string Text, ResponseResult Completed)> StreamAsync(ResponsesClient client, CreateResponseOptions options)
    {
        List<StreamingResponseUpdateKind> kinds = [];
        var text = new StringBuilder();
        ResponseResult? completed = null;
        var sequence = 0;
        options.StreamingEnabled = true;
        await foreach (var update in await client.CreateResponseStreamingAsync(options))
        {
            Assert.Equal(sequence++, update.SequenceNumber);
            kinds.Add(update.Kind);
            if (update is StreamingResponseOutputTextDeltaUpdate delta)
            {
                text.Append(delta.Delta);
            }

            if (update is StreamingResponseCompletedUpdate done)
            {
                completed = done.Response;
            }
        }

        Assert.NotNull(completed);
        return (kinds, text.ToString(), completed);
    }

    internal static JsonElement ErrorOf(ClientResultException failure) =>
        JsonDocument.Parse(failure.GetRawResponse()!.Content.ToString()).RootElement.GetProperty("error").Clone();

    private static string ToolCallCompletion(string id, string name, string arguments) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["id"] = "chatcmpl-upstream-2",
        ["object"] = "chat.completion",
        ["created"] = 1_739_200_000,
        ["model"] = "gpt-4o",
        ["choices"] = new[]
        {
            new Dictionary<string, object?>
            {
                ["index"] = 0,
                ["message"] = new Dictionary<string, object?>
                {
                    ["role"] = "assistant",
                    ["content"] = null,
                    ["tool_calls"] = new[] { new { id, type = "function", function = new { name, arguments } } },
                },
                ["finish_reason"] = "tool_calls",
            },
        },
        ["usage"] = FakeOpenAi.Usage(40, 12),
    });
}
