using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmTr.IntegrationTests.Gateway;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;
using OpenAI.Responses;
using static LlmTr.Testing.Upstreams.FakeOpenAiResponses;

#pragma warning disable OPENAI001 // The SDK marks its Responses client experimental; the wire format it speaks is what is tested.

namespace LlmTr.IntegrationTests.Responses;

/// <summary>
/// POST /v1/responses relayed natively to a provider that speaks the Responses API (OpenAI in the seed catalog): the
/// client's body goes up with only the model replaced and the provider's key, answers and events come back as the
/// provider sent them with LLMTR's id, model and cost, billing counts as chat completions do; errors reach the client in
/// OpenAI's shape, and a fallback to a provider without the Responses API is translated. Also: the translated providers
/// (Anthropic, Gemini) bill a Responses exchange exactly as the same exchange through chat completions.
/// </summary>
public sealed class NativeResponsesShould(ResponsesFixture fixture) : IClassFixture<ResponsesFixture>
{
    private const string ResponsesPath = "/v1/responses";

    [Fact]
    public async Task RelayAnAnswerNativelyAndBillItAsChatCompletionsDo()
    {
        var (client, userId, rawKey) = await fixture.ClientAsync();
        fixture.OpenAi.Respond = (request, context) => request.PathAndQuery == ResponsesPath
            ? Sse.JsonAsync(context, 200, TextResponse("Merhaba!", new Tokens(2000, 400, Cached: 500, Reasoning: 64)))
            : Sse.JsonAsync(context, 200, ChatCompletion("Merhaba!", 2000, 400, 500, 64));

        var result = await client.CreateResponseAsync(new CreateResponseOptions(ResponsesFixture.Gpt, [ResponseItem.CreateUserMessageItem("Selam")])
        {
            Instructions = "Be brief.",
            MaxOutputTokenCount = 100,
            StoredOutputEnabled = false,
        });
        ResponseResult response = result;
        var raw = JsonDocument.Parse(result.GetRawResponse().Content.ToString()).RootElement;

        var sent = fixture.OpenAi.Last;
        Assert.Equal(ResponsesPath, sent.PathAndQuery);
        Assert.Equal("Bearer " + GatewayHost.UpstreamKey("openai"), sent.Header("Authorization"));
        Assert.DoesNotContain(rawKey, sent.Headers.Values);
        Assert.Equal(("gpt-4o", "Be brief.", 100), (sent.Json.GetProperty("model").GetString(), sent.Json.GetProperty("instructions").GetString(), sent.Json.GetProperty("max_output_tokens").GetInt32()));
        Assert.False(sent.Json.TryGetProperty("messages", out _));
        var row = await fixture.UsageAsync(userId);
        Assert.Equal("resp_" + row.RequestId["req_".Length..], response.Id);
        Assert.Equal((ResponsesFixture.Gpt, "Merhaba!", ResponseStatus.Completed), (response.Model, response.GetOutputText(), response.Status));
        Assert.Equal("msg_upstream_1", Assert.Single(response.OutputItems).Id);
        Assert.Equal((2000, 500, 400, 64), (response.Usage.InputTokenCount, response.Usage.InputTokenDetails.CachedTokenCount, response.Usage.OutputTokenCount, response.Usage.OutputTokenDetails.ReasoningTokenCount));
        Assert.Equal((2000L, 400L, 500L, false, ResponsesFixture.Gpt), (row.Prompt, row.Completion, row.Cached, row.Streamed, row.Model));
        Assert.True(row.Cost > 0);
        Assert.Equal(row.Cost, raw.GetProperty("usage").GetProperty("cost").GetDecimal());
        Assert.Equal(3, raw.GetProperty("usage").GetProperty("cost_currency").GetString()?.Length);

        // The same exchange through chat completions costs the same.
        var (chatUser, chatKey) = await fixture.Gateway.FundedKeyAsync();
        await fixture.Gateway.Chat(chatKey.RawKey, ResponsesFixture.Gpt).CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Selam")]);
        Assert.Equal("/v1/chat/completions", fixture.OpenAi.Last.PathAndQuery);
        var chatRow = await fixture.UsageAsync(chatUser);
        Assert.Equal((row.Prompt, row.Completion, row.Cached, row.Cost), (chatRow.Prompt, chatRow.Completion, chatRow.Cached, chatRow.Cost));
    }

    [Fact]
    public async Task SendTheClientsOwnBodyWithOnlyTheModelReplaced()
    {
        var (_, _, rawKey) = await fixture.ClientAsync();
        fixture.OpenAi.Respond = (_, context) => Sse.JsonAsync(context, 200,
            Response([Reasoning("rs_upstream_1", "Looked it up."), Message("msg_upstream_1", "Ankara.")], new Tokens(40, 20, Reasoning: 12)));
        const string Body = """
            {"model":"openai/gpt-4o","input":[
              {"role":"user","content":[{"type":"input_text","text":"Başkent?"}]},
              {"type":"reasoning","id":"rs_earlier","summary":[],"encrypted_content":"gAAAAAB-earlier"},
              {"type":"web_search_call","id":"ws_1","status":"completed","action":{"type":"search","query":"başkent"}},
              {"role":"user","content":"Kısaca."}],
             "tools":[{"type":"web_search"},{"type":"custom","name":"apply_patch","description":"Edits files"},{"type":"function","name":"f","parameters":{"type":"object"}}],
             "tool_choice":{"type":"web_search"},
             "reasoning":{"effort":"low","summary":"auto"},"include":["reasoning.encrypted_content"],"prompt_cache_key":"thread-7",
             "text":{"verbosity":"low"},"truncation":"auto","store":false,"service_tier":"auto","safety_identifier":"u-1","llmtr":{}}
            """;

        using var answer = await PostAsync(rawKey, Body);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var expected = JsonNode.Parse(Body)!.AsObject();
        expected["model"] = "gpt-4o";
        expected.Remove("llmtr");
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(fixture.OpenAi.Last.Body)), fixture.OpenAi.Last.Body);
        var output = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("output");
        Assert.Equal(("reasoning", "gAAAAAB-opaque-reasoning-state"), (output[0].GetProperty("type").GetString(), output[0].GetProperty("encrypted_content").GetString()));
        Assert.Equal("Ankara.", output[1].GetProperty("content")[0].GetProperty("text").GetString());

        // The same request to a model whose provider has only chat completions is refused, naming what it cannot carry.
        var before = fixture.OpenAi.Server.Received.Count;
        using var refused = await PostAsync(rawKey, Body.Replace("openai/gpt-4o", ResponsesFixture.Compatible, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal(("unsupported_feature", "input[2].type"), (error.GetProperty("code").GetString(), error.GetProperty("param").GetString()));
        Assert.Equal(before, fixture.OpenAi.Server.Received.Count);
    }

    [Theory]
    [InlineData("""{"model":"openai/gpt-4o","input":"Selam"}""")]
    [InlineData("""{"model":"openai/gpt-4o","input":"Selam","store":true}""")]
    public async Task NeverLetTheProviderStoreTheResponse(string body)
    {
        // LLMTR keeps nothing a model was sent or produced, and its data path says so: a provider that stores responses
        // unless told otherwise (OpenAI's default is to store them) is always told not to.
        var (_, _, rawKey) = await fixture.ClientAsync();
        fixture.OpenAi.Respond = (_, context) => Sse.JsonAsync(context, 200, Response([Message("msg_upstream_1", "Merhaba.")], new Tokens(5, 2)));

        using var answer = await PostAsync(rawKey, body);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.False(JsonDocument.Parse(fixture.OpenAi.Last.Body).RootElement.GetProperty("store").GetBoolean(), fixture.OpenAi.Last.Body);
    }

    [Fact]
    public async Task StreamTheProvidersEventsWithLlmtrsIdAndBillThemAsChatCompletionsDo()
    {
        var (client, userId, _) = await fixture.ClientAsync();
        fixture.OpenAi.Respond = (request, context) => request.PathAndQuery == ResponsesPath
            ? StreamTextAsync(context, ["Anka", "ra"], new Tokens(12, 3))
            : FakeOpenAi.StreamAsync(context, ["Anka", "ra"], prompt: 12, completion: 3);

        var (kinds, text, completed) = await ResponsesApiShould.StreamAsync(client, new CreateResponseOptions(ResponsesFixture.Gpt, [ResponseItem.CreateUserMessageItem("Başkent?")]));

        Assert.Equal(ResponsesApiShould.TextEvents, kinds);
        Assert.Equal("Ankara", text);
        Assert.Equal(("Ankara", ResponsesFixture.Gpt), (completed.GetOutputText(), completed.Model));
        Assert.Equal((12, 3), (completed.Usage.InputTokenCount, completed.Usage.OutputTokenCount));
        var sent = fixture.OpenAi.Last;
        Assert.Equal(ResponsesPath, sent.PathAndQuery);
        Assert.True(sent.Json.GetProperty("stream").GetBoolean());
        Assert.False(sent.Json.TryGetProperty("stream_options", out _));
        var row = await fixture.UsageAsync(userId);
        Assert.Equal("resp_" + row.RequestId["req_".Length..], completed.Id);
        Assert.Equal((12L, 3L, true), (row.Prompt, row.Completion, row.Streamed));

        var (chatUser, chatKey) = await fixture.Gateway.FundedKeyAsync();
        await foreach (var _ in fixture.Gateway.Chat(chatKey.RawKey, ResponsesFixture.Gpt).CompleteChatStreamingAsync([new UserChatMessage("Başkent?")]))
        {
        }

        var chatRow = await fixture.UsageAsync(chatUser);
        Assert.Equal((row.Prompt, row.Completion, row.Cached, row.Cost), (chatRow.Prompt, chatRow.Completion, chatRow.Cached, chatRow.Cost));
    }

    [Fact]
    public async Task PutLlmtrsIdAndCostIntoTheStreamedEvents()
    {
        var (_, userId, rawKey) = await fixture.ClientAsync();
        fixture.OpenAi.Respond = (_, context) => StreamTextAsync(context, ["Merhaba"], new Tokens(10, 2));

        using var answer = await PostAsync(rawKey, """{"model":"openai/gpt-4o","input":"Selam","stream":true}""");

        var events = Events(await answer.Content.ReadAsStringAsync());
        var row = await fixture.UsageAsync(userId);
        var id = "resp_" + row.RequestId["req_".Length..];
        var carrying = events.Where(e => e.Data.TryGetProperty("response", out _)).ToList();
        Assert.Equal(["response.created", "response.in_progress", "response.completed"], carrying.Select(e => e.Name));
        Assert.All(carrying, e => Assert.Equal((id, ResponsesFixture.Gpt), (e.Data.GetProperty("response").GetProperty("id").GetString(), e.Data.GetProperty("response").GetProperty("model").GetString())));
        Assert.Equal(row.Cost, carrying[^1].Data.GetProperty("response").GetProperty("usage").GetProperty("cost").GetDecimal());
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Data.GetProperty("sequence_number").GetInt32()));
        Assert.DoesNotContain(events, e => e.Data.ToString().Contains(UpstreamId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CompleteAFunctionToolRoundTripNatively()
    {
        var (client, _, _) = await fixture.ClientAsync();
        fixture.OpenAi.Respond = (_, context) => Sse.JsonAsync(context, 200, FunctionCallResponse("call_abc", "get_weather", """{"city":"İzmir"}""", new Tokens(40, 12)));
        var tool = ResponseTool.CreateFunctionTool("get_weather", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""),
            strictModeEnabled: false, functionDescription: "The weather in a city now");
        var question = ResponseItem.CreateUserMessageItem("İzmir'de hava nasıl?");

        ResponseResult first = await client.CreateResponseAsync(new CreateResponseOptions(ResponsesFixture.Gpt, [question]) { Tools = { tool } });

        var sentTool = fixture.OpenAi.Last.Json.GetProperty("tools")[0];
        Assert.Equal(("function", "get_weather"), (sentTool.GetProperty("type").GetString(), sentTool.GetProperty("name").GetString()));
        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(first.OutputItems));
        Assert.Equal(("call_abc", "get_weather", """{"city":"İzmir"}"""), (call.CallId, call.FunctionName, call.FunctionArguments.ToString()));

        fixture.OpenAi.Respond = (_, context) => Sse.JsonAsync(context, 200, TextResponse("İzmir'de hava 24°C ve güneşli.", new Tokens(60, 10)));
        ResponseResult answer = await client.CreateResponseAsync(
            new CreateResponseOptions(ResponsesFixture.Gpt, [question, .. first.OutputItems, ResponseItem.CreateFunctionCallOutputItem("call_abc", "24°C, güneşli")]) { Tools = { tool } });

        var input = fixture.OpenAi.Last.Json.GetProperty("input");
        Assert.Equal(3, input.GetArrayLength());
        Assert.Equal(("function_call", "call_abc"), (input[1].GetProperty("type").GetString(), input[1].GetProperty("call_id").GetString()));
        Assert.Equal(("function_call_output", "24°C, güneşli"), (input[2].GetProperty("type").GetString(), input[2].GetProperty("output").GetString()));
        Assert.Equal("İzmir'de hava 24°C ve güneşli.", answer.GetOutputText());
    }

    [Fact]
    public async Task StreamAFunctionCallNatively()
    {
        var (client, _, _) = await fixture.ClientAsync();
        fixture.OpenAi.Respond = (_, context) => StreamFunctionCallAsync(context, "call_1", "get_weather", ["{\"city\":", "\"Van\"}"], new Tokens(30, 8));
        var options = new CreateResponseOptions(ResponsesFixture.Gpt, [ResponseItem.CreateUserMessageItem("Van?")])
        {
            Tools = { ResponseTool.CreateFunctionTool("get_weather", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}}}"""), strictModeEnabled: false) },
            StreamingEnabled = true,
        };

        List<StreamingResponseUpdate> updates = [];
        await foreach (var update in await client.CreateResponseStreamingAsync(options))
        {
            updates.Add(update);
        }

        Assert.Equal(["{\"city\":", "\"Van\"}"], updates.OfType<StreamingResponseFunctionCallArgumentsDeltaUpdate>().Select(d => d.Delta.ToString()));
        var done = Assert.Single(updates.OfType<StreamingResponseFunctionCallArgumentsDoneUpdate>());
        Assert.Equal("{\"city\":\"Van\"}", done.FunctionArguments.ToString());
        var completed = Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]).Response;
        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(completed.OutputItems));
        Assert.Equal(("call_1", "get_weather"), (call.CallId, call.FunctionName));
        Assert.Equal(Enumerable.Range(0, updates.Count), updates.Select(u => u.SequenceNumber));
    }

    [Theory]
    [InlineData(400, 400, "provider_rejected_request")]
    [InlineData(500, 502, "provider_error")]
    public async Task AnswerAProvidersErrorInOpenAisShape(int upstreamStatus, int status, string code)
    {
        var (client, _, _) = await fixture.ClientAsync();
        fixture.OpenAi.Respond = (_, context) => Sse.JsonAsync(context, upstreamStatus, FakeOpenAiResponses.Error("Unsupported parameter: 'reasoning.effort'.", "invalid_request_error"));

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => client.CreateResponseAsync(ResponsesFixture.Gpt, "hi"));

        Assert.Equal(status, failure.Status);
        var error = ResponsesApiShould.ErrorOf(failure);
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Contains(ResponsesFixture.Gpt, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayHost.UpstreamKey("openai"), failure.GetRawResponse()!.Content.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndAStreamWhoseProviderSendsAnErrorEventWithAFailedResponse()
    {
        var (client, userId, _) = await fixture.ClientAsync();
        fixture.OpenAi.Respond = async (_, context) =>
        {
            var events = await StartAsync(context);
            await events.SendAsync("response.output_item.added", new() { ["output_index"] = 0, ["item"] = Message("msg_upstream_1", null) });
            await events.SendAsync("response.output_text.delta", new() { ["item_id"] = "msg_upstream_1", ["output_index"] = 0, ["content_index"] = 0, ["delta"] = "Yarım", ["logprobs"] = Array.Empty<object>() });
            await events.ErrorAsync("server_error", "The model is overloaded.");
        };

        List<StreamingResponseUpdate> updates = [];
        await foreach (var update in await client.CreateResponseStreamingAsync(new CreateResponseOptions(ResponsesFixture.Gpt, [ResponseItem.CreateUserMessageItem("hi")]) { StreamingEnabled = true }))
        {
            updates.Add(update);
        }

        Assert.IsType<StreamingResponseErrorUpdate>(updates[^2]);
        var failed = Assert.IsType<StreamingResponseFailedUpdate>(updates[^1]).Response;
        Assert.Equal(ResponseStatus.Failed, failed.Status);
        Assert.Contains("The model is overloaded.", failed.Error.Message, StringComparison.Ordinal);
        Assert.Equal(Assert.IsType<StreamingResponseCreatedUpdate>(updates[0]).Response.Id, failed.Id);
        Assert.Equal(Enumerable.Range(0, updates.Count), updates.Select(u => u.SequenceNumber));
        Assert.True((await fixture.UsageAsync(userId)).Streamed);
    }

    [Fact]
    public async Task FallBackToAModelWhoseProviderHasOnlyChatCompletions()
    {
        var (client, _, _) = await fixture.ClientAsync();
        var model = await AddModelAsync("openai/gpt-4o-fallback-test", [ResponsesFixture.Compatible]);
        fixture.OpenAi.Respond = (request, context) => request.PathAndQuery == ResponsesPath
            ? Sse.JsonAsync(context, 503, FakeOpenAiResponses.Error("Overloaded.", "server_error"))
            : Sse.JsonAsync(context, 200, FakeOpenAi.Completion("Yedekten merhaba.", "deepseek-v4-flash"));
        var before = fixture.OpenAi.Server.Received.Count;

        ResponseResult response = await client.CreateResponseAsync(new CreateResponseOptions(model, [ResponseItem.CreateUserMessageItem("Selam")]));

        Assert.Equal(("Yedekten merhaba.", ResponsesFixture.Compatible), (response.GetOutputText(), response.Model));
        var calls = fixture.OpenAi.Server.Received.Skip(before).ToList();
        Assert.Equal([ResponsesPath, "/v1/chat/completions"], calls.Select(c => c.PathAndQuery));
        Assert.Equal("Bearer " + GatewayHost.UpstreamKey("openai"), calls[0].Header("Authorization"));
        Assert.Equal(("Bearer " + GatewayHost.UpstreamKey("deepseek"), "deepseek-v4-flash"), (calls[1].Header("Authorization"), calls[1].Json.GetProperty("model").GetString()));
    }

    [Fact]
    public async Task NotFallBackToATranslatedModelWithWhatOnlyTheNativeRelayCarries()
    {
        var (client, _, _) = await fixture.ClientAsync();
        var model = await AddModelAsync("openai/gpt-4o-fallback-test", [ResponsesFixture.Compatible]);
        fixture.OpenAi.Respond = (request, context) => request.PathAndQuery == ResponsesPath
            ? Sse.JsonAsync(context, 503, FakeOpenAiResponses.Error("Overloaded.", "server_error"))
            : Sse.JsonAsync(context, 200, FakeOpenAi.Completion("Yedekten merhaba.", "deepseek-v4-flash"));
        var before = fixture.OpenAi.Server.Received.Count;

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => client.CreateResponseAsync(
            new CreateResponseOptions(model, [ResponseItem.CreateUserMessageItem("Haberler?")]) { Tools = { ResponseTool.CreateFileSearchTool(["vs_1"]) } }));

        Assert.Equal((502, "provider_error"), (failure.Status, ResponsesApiShould.ErrorOf(failure).GetProperty("code").GetString()));
        var call = Assert.Single(fixture.OpenAi.Server.Received.Skip(before));
        Assert.Equal(ResponsesPath, call.PathAndQuery);
        Assert.Equal("file_search", call.Json.GetProperty("tools")[0].GetProperty("type").GetString());
    }

    [Theory]
    [InlineData(ResponsesFixture.Claude, false)]
    [InlineData(ResponsesFixture.Claude, true)]
    [InlineData(ResponsesFixture.Gemini, false)]
    [InlineData(ResponsesFixture.Gemini, true)]
    public async Task BillATranslatedExchangeAsChatCompletionsDo(string model, bool stream)
    {
        var (client, userId, _) = await fixture.ClientAsync();
        Script(model, stream);
        var options = new CreateResponseOptions(model, [ResponseItem.CreateUserMessageItem("Bir şehir söyle.")]) { Instructions = "Be brief." };

        string text;
        if (stream)
        {
            (_, text, _) = await ResponsesApiShould.StreamAsync(client, options);
        }
        else
        {
            text = ((ResponseResult)await client.CreateResponseAsync(options)).GetOutputText();
        }

        Assert.Equal("İstanbul güzel.", text);
        var row = await fixture.UsageAsync(userId);
        Assert.Equal((model, stream), (row.Model, row.Streamed));
        Assert.True(row.Cost > 0);

        var (chatUser, chatKey) = await fixture.Gateway.FundedKeyAsync();
        var chat = fixture.Gateway.Chat(chatKey.RawKey, model);
        if (stream)
        {
            await foreach (var _ in chat.CompleteChatStreamingAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Bir şehir söyle.")]))
            {
            }
        }
        else
        {
            await chat.CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Bir şehir söyle.")]);
        }

        var chatRow = await fixture.UsageAsync(chatUser);
        Assert.Equal((row.Prompt, row.Completion, row.Cached, row.Cost, row.Streamed), (chatRow.Prompt, chatRow.Completion, chatRow.Cached, chatRow.Cost, chatRow.Streamed));
    }

    /// <summary>The same answer, with cache reads and reasoning counted, twice: once for each API.</summary>
    private void Script(string model, bool stream)
    {
        if (model == ResponsesFixture.Claude)
        {
            if (stream)
            {
                fixture.Anthropic.Stream(async events =>
                {
                    await events.StartAsync(new AnthropicTokens(25, 0, CacheRead: 100));
                    await events.TextAsync("İstanbul ", "güzel.");
                    await events.EndAsync("end_turn", 9);
                });
            }
            else
            {
                fixture.Anthropic.AnswerWith(FakeAnthropic.Message(FakeAnthropic.Text("İstanbul güzel."), "end_turn", new AnthropicTokens(25, 9, CacheRead: 100)));
            }

            return;
        }

        const string Usage = """{"promptTokenCount":120,"cachedContentTokenCount":100,"candidatesTokenCount":5,"thoughtsTokenCount":20,"totalTokenCount":145}""";
        var answer = stream
            ? FakeGemini.Stream(
                """{"candidates":[{"content":{"parts":[{"text":"İstanbul "}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":120,"totalTokenCount":120},"modelVersion":"gemini-2.5-flash"}""",
                $$"""{"candidates":[{"content":{"parts":[{"text":"güzel."}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{{Usage}},"modelVersion":"gemini-2.5-flash"}""")
            : FakeGemini.Json(FakeGemini.Text("İstanbul güzel.", usage: Usage));
        fixture.Google.Reset().Then(answer, answer);
    }

    private async Task<string> AddModelAsync(string id, string[] fallbacks)
    {
        var catalog = fixture.Gateway.Host.Services.GetRequiredService<IModelCatalog>();
        if (catalog.Current.FindModel(id) is null)
        {
            var saved = await fixture.Gateway.Host.Services.GetRequiredService<ICatalogAdministration>().SaveModelAsync(new ModelInput(
                id, "gpt-4o", "Fallback test", "For fallback tests.", "Yedek testleri için.", 128_000, 4_096, ["text"], ["text"], ["chat", "streaming", "tools"], [],
                "Active", "Public", fallbacks, null, [new DataPathHop("OpenAI", "US", null, "Runs the model", "Up to 30 days", false)]), "tests");
            Assert.True(saved.Succeeded, string.Join(" ", saved.Errors.SelectMany(e => e.Value)));
            await Poll.UntilAsync(() => Task.FromResult(catalog.Current.FindModel(id) is not null), "the model to reach the catalog");
        }

        return id;
    }

    private async Task<HttpResponseMessage> PostAsync(string rawKey, string body)
    {
        using var http = fixture.Gateway.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, ResponsesPath) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", rawKey);
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static List<(string Name, JsonElement Data)> Events(string stream) =>
        stream.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split('\n'))
            .Select(lines => (lines.Single(l => l.StartsWith("event: ", StringComparison.Ordinal))["event: ".Length..],
                JsonDocument.Parse(lines.Single(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..]).RootElement.Clone()))
            .ToList();

    private static string ChatCompletion(string content, long prompt, long completion, long cached, long reasoning)
    {
        var body = JsonNode.Parse(FakeOpenAi.Completion(content, prompt: prompt, completion: completion, cached: cached))!;
        body["usage"]!["completion_tokens_details"]!["reasoning_tokens"] = reasoning;
        return body.ToJsonString();
    }
}
