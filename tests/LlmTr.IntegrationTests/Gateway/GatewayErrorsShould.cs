using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;

namespace LlmTr.IntegrationTests.Gateway;

/// <summary>Every row of the public error table, produced for real and seen both raw and through the OpenAI SDK.</summary>
public sealed class GatewayErrorsShould(OpenAiGatewayFixture fixture) : IClassFixture<OpenAiGatewayFixture>
{
    private GatewayHost Gateway => fixture.Gateway;

    [Theory]
    [InlineData("""{"model":"openai/gpt-4o","messages":[{"role":"user","content":"hi"}],"temperature":2.5}""", "temperature", "'temperature' must be a number from 0 to 2; got 2.5.")]
    [InlineData("""{"model":"openai/gpt-4o","messages":[{"role":"user","content":"hi"}],"presence_penalty":-3}""", "presence_penalty", "'presence_penalty' must be a number from -2 to 2; got -3.")]
    [InlineData("""{"model":"openai/gpt-4o"}""", "messages", "'messages' is required and must be an array of message objects.")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model", "'model' is required and must be a string: a model id such as 'openai/gpt-4o'.")]
    [InlineData("""{"model":"openai/gpt-4o","messages":[{"role":"wizard","content":"hi"}]}""", "messages[0].role", "'wizard' is not a valid role at 'messages[0].role'. Use 'system', 'developer', 'user', 'assistant' or 'tool'.")]
    [InlineData("""{"model":"openai/gpt-4o","messages":[{"role":"tool","content":"42"}]}""", "messages[0].tool_call_id", "'messages[0].tool_call_id' is required and must be the id of the tool call this message answers.")]
    [InlineData("""{"model":"openai/gpt-4o","messages":[{"role":"user","content":"hi"}],"stream_options":{"include_usage":true}}""", "stream_options", "'stream_options' is only allowed when 'stream' is true.")]
    [InlineData("""{"model":"llmtr/gemma-3-27b","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f"}}]}""", "tools", "The model 'llmtr/gemma-3-27b' does not support tools (function calling). See GET /api/models for each model's operations and modalities.")]
    public async Task AnswerAnInvalidRequestWith400NamingTheField(string body, string param, string message)
    {
        var (_, key) = await Gateway.FundedKeyAsync();

        var (status, error) = await PostAsync(key.RawKey, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(("invalid_request_error", param, message), (error.Type, error.Param, error.Message));
    }

    [Theory]
    [InlineData("{\"model\": ")]
    [InlineData("not json at all")]
    [InlineData("[1,2,3]")]
    public async Task AnswerMalformedJsonWith400(string body)
    {
        var (_, key) = await Gateway.FundedKeyAsync();

        var (status, error) = await PostAsync(key.RawKey, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(("invalid_request_error", "invalid_json"), (error.Type, error.Code));
    }

    [Fact]
    public async Task AnswerAnUnknownV1AddressWithOpenAisErrorObject()
    {
        using var client = Gateway.Host.CreateClient();

        using var response = await client.PostAsync(new Uri("/v1/chat/completion", UriKind.Relative), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = ErrorBody.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(("invalid_request_error", "Unknown request URL: POST /v1/chat/completion. See the API reference for the endpoints."), (error.Type, error.Message));
    }

    [Fact]
    public async Task AnswerABodyOverTheLimitWith413()
    {
        var (_, key) = await Gateway.FundedKeyAsync();
        var body = $$"""{"model":"openai/gpt-4o","messages":[{"role":"user","content":"{{new string('a', 70_000)}}"}]}""";

        var (status, error) = await PostAsync(key.RawKey, body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(("invalid_request_error", "request_too_large"), (error.Type, error.Code));
        Assert.Contains("larger than the limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnswerAnUnknownModelWith400ModelNotFoundInTheSdk()
    {
        var (_, key) = await Gateway.FundedKeyAsync();

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => Gateway.Chat(key.RawKey, "openai/gpt-17").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(400, failure.Status);
        var error = ErrorOf(failure);
        Assert.Equal(("invalid_request_error", "model", "model_not_found"), (error.Type, error.Param, error.Code));
    }

    [Fact]
    public async Task AnswerABadKeyWith401InTheSdk()
    {
        var failure = await Assert.ThrowsAsync<ClientResultException>(() =>
            Gateway.Chat("llmtr-" + new string('Q', 43), "llmtr/demo").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(401, failure.Status);
        Assert.Equal("auth_error", ErrorOf(failure).Type);
    }

    [Fact]
    public async Task AnswerAnAccountWithoutCreditWith402BeforeAnyUpstreamCall()
    {
        var (_, key) = await Gateway.FundedKeyAsync(credit: 0);
        var before = fixture.Upstream.Server.Received.Count;

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => Gateway.Chat(key.RawKey, "openai/gpt-4o").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(402, failure.Status);
        var error = ErrorOf(failure);
        Assert.Equal(("insufficient_credits", "insufficient_credits"), (error.Type, error.Code));
        Assert.Equal(before, fixture.Upstream.Server.Received.Count);
    }

    [Fact]
    public async Task AnswerAKeyAtItsSpendLimitWith402()
    {
        fixture.Upstream.Respond = (_, context) => Sse.JsonAsync(context, 200, FakeOpenAi.Completion("ok", prompt: 400_000, completion: 20_000));
        var (userId, key) = await Gateway.FundedKeyAsync(key: new NewApiKey("capped", MonthlySpendLimit: 1m));
        var chat = Gateway.Chat(key.RawKey, "openai/gpt-4o");
        await chat.CompleteChatAsync([new UserChatMessage("costs 1.20")]);
        var spending = Gateway.Host.Services.GetRequiredService<IKeySpending>();
        await Poll.UntilAsync(async () => (await spending.ForAccountAsync(userId)).GetValueOrDefault(key.Id) == new KeySpendSummary(1.2m, 1.2m, "USD"),
            "the key's spend to be written");

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("over the limit")]));

        Assert.Equal(402, failure.Status);
        Assert.Equal("insufficient_credits", ErrorOf(failure).Type);
        Assert.Contains("limit", ErrorOf(failure).Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AnswerAModelOutsideTheKeysScopeWith403InTheSdk()
    {
        var (_, key) = await Gateway.FundedKeyAsync(key: new NewApiKey("regulated", TurkeyOnly: true));
        var before = fixture.Upstream.Server.Received.Count;

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => Gateway.Chat(key.RawKey, "openai/gpt-4o").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(403, failure.Status);
        var error = ErrorOf(failure);
        Assert.Equal(("forbidden", "model_not_allowed"), (error.Type, error.Code));
        Assert.Contains("'Turkey only'", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, fixture.Upstream.Server.Received.Count);
    }

    [Fact]
    public async Task AnswerOverTheKeysRateLimitWith429InTheSdk()
    {
        var (_, key) = await Gateway.FundedKeyAsync(key: new NewApiKey("slow", RequestsPerMinute: 1));
        var chat = Gateway.Chat(key.RawKey, "llmtr/demo");
        await chat.CompleteChatAsync([new UserChatMessage("one")]);

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("two")]));

        Assert.Equal(429, failure.Status);
        Assert.Equal("rate_limit_exceeded", ErrorOf(failure).Type);
        Assert.True(failure.GetRawResponse()!.Headers.TryGetValue("Retry-After", out _));
    }

    [Fact]
    public async Task AnswerAProviders429With429AndItsRetryAfter()
    {
        fixture.Upstream.Respond = (_, context) =>
        {
            context.Response.Headers.RetryAfter = "7";
            return Sse.JsonAsync(context, 429, FakeOpenAi.Error("Rate limit reached for requests", "requests"));
        };
        var (_, key) = await Gateway.FundedKeyAsync();

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => Gateway.Chat(key.RawKey, "openai/gpt-4o").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(429, failure.Status);
        Assert.Equal("rate_limit_exceeded", ErrorOf(failure).Type);
        Assert.True(failure.GetRawResponse()!.Headers.TryGetValue("Retry-After", out var retryAfter));
        Assert.Equal("7", retryAfter);
    }

    [Theory]
    [InlineData(500, "provider_error")]
    [InlineData(503, "provider_error")]
    [InlineData(401, "provider_auth_error")]
    public async Task AnswerAProviderFailureWith502WithoutItsSecrets(int upstreamStatus, string code)
    {
        fixture.Upstream.Respond = (_, context) => Sse.JsonAsync(context, upstreamStatus,
            FakeOpenAi.Error($"Upstream broke; key {GatewayHost.UpstreamKey("openai")} at {context.Request.Host}"));
        var (_, key) = await Gateway.FundedKeyAsync();

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => Gateway.Chat(key.RawKey, "openai/gpt-4o").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(502, failure.Status);
        var error = ErrorOf(failure);
        Assert.Equal(("provider_error", code), (error.Type, error.Code));
        AssertNothingSecret(failure.GetRawResponse()!.Content.ToString());
    }

    [Fact]
    public async Task PassAProvidersRejectionOnAs400WithoutItsSecrets()
    {
        fixture.Upstream.Respond = (_, context) => Sse.JsonAsync(context, 400,
            FakeOpenAi.Error($"Invalid 'messages': too long for key {GatewayHost.UpstreamKey("openai")} on {fixture.Upstream.Server.BaseAddress}", "invalid_request_error"));
        var (_, key) = await Gateway.FundedKeyAsync();

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => Gateway.Chat(key.RawKey, "openai/gpt-4o").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(400, failure.Status);
        var error = ErrorOf(failure);
        Assert.Equal(("invalid_request_error", "provider_rejected_request"), (error.Type, error.Code));
        Assert.StartsWith("The provider of 'openai/gpt-4o' rejected the request: Invalid 'messages': too long", error.Message, StringComparison.Ordinal);
        AssertNothingSecret(failure.GetRawResponse()!.Content.ToString());
    }

    [Fact]
    public async Task AnswerAnAnswerThatIsNotJsonWith502()
    {
        fixture.Upstream.Respond = (_, context) => Sse.JsonAsync(context, 200, "<html>gateway timeout</html>");
        var (_, key) = await Gateway.FundedKeyAsync();

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => Gateway.Chat(key.RawKey, "openai/gpt-4o").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(502, failure.Status);
        Assert.Equal("provider_bad_response", ErrorOf(failure).Code);
    }

    [Fact]
    public async Task AnswerARefusedConnectionWith502()
    {
        var (_, key) = await Gateway.FundedKeyAsync();

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => Gateway.Chat(key.RawKey, "qwen/qwen3-max").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(502, failure.Status);
        Assert.Equal("provider_unreachable", ErrorOf(failure).Code);
        AssertNothingSecret(failure.GetRawResponse()!.Content.ToString());
    }

    [Fact]
    public async Task AnswerAProviderSlowerThanItsTimeoutWith502()
    {
        fixture.Upstream.Respond = async (_, context) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
            await Sse.JsonAsync(context, 200, FakeOpenAi.Completion("late"));
        };
        var (_, key) = await Gateway.FundedKeyAsync();

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => Gateway.Chat(key.RawKey, "deepseek/deepseek-v4-flash").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(502, failure.Status);
        Assert.Equal(("provider_error", "provider_timeout"), (ErrorOf(failure).Type, ErrorOf(failure).Code));
    }

    [Fact]
    public async Task EndAStreamThatBreaksWithAnSseErrorEventAndBillWhatWasProduced()
    {
        fixture.Upstream.Respond = async (_, context) =>
        {
            Sse.Start(context);
            await Sse.DataAsync(context, FakeOpenAi.Chunk(new { role = "assistant", content = "Half an ans" }));
            // The connection ends here: no finish, no usage, no [DONE].
        };
        var (userId, key) = await Gateway.FundedKeyAsync();

        var (status, events, requestId) = await StreamRawAsync(key.RawKey, "openai/gpt-4o");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Half an ans", events[0], StringComparison.Ordinal);
        var error = JsonDocument.Parse(events[^1]).RootElement.GetProperty("error");
        Assert.Equal(("provider_error", "provider_stream_interrupted"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
        Assert.DoesNotContain("[DONE]", events);
        var row = await UsageRowAsync(requestId);
        Assert.Equal(("Failed", true), (row["Outcome"], long.Parse(row["CompletionTokens"], System.Globalization.CultureInfo.InvariantCulture) > 0));
        Assert.Equal(userId, row["AccountId"]);
    }

    [Fact]
    public async Task EndAStreamThatStallsAfterItsIdleTimeout()
    {
        fixture.Upstream.Respond = async (_, context) =>
        {
            Sse.Start(context);
            await Sse.DataAsync(context, FakeOpenAi.Chunk(new { role = "assistant", content = "Thinking" }));
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
        };
        var (_, key) = await Gateway.FundedKeyAsync();

        var (_, events, _) = await StreamRawAsync(key.RawKey, "deepseek/deepseek-v4-flash");

        var error = JsonDocument.Parse(events[^1]).RootElement.GetProperty("error");
        Assert.Equal("provider_timeout", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task PassAnErrorEventFromTheProviderOnAsAnSseErrorEvent()
    {
        fixture.Upstream.Respond = async (_, context) =>
        {
            Sse.Start(context);
            await Sse.DataAsync(context, FakeOpenAi.Chunk(new { role = "assistant", content = "Hi" }));
            await Sse.DataAsync(context, FakeOpenAi.Error("The server had an error while processing your request."));
        };
        var (_, key) = await Gateway.FundedKeyAsync();

        var (_, events, _) = await StreamRawAsync(key.RawKey, "openai/gpt-4o");

        var error = JsonDocument.Parse(events[^1]).RootElement.GetProperty("error");
        Assert.Equal("provider_error", error.GetProperty("type").GetString());
        Assert.Contains("The server had an error while processing your request.", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelTheUpstreamWhenTheClientDisconnectsAndBillWhatWasProduced()
    {
        var upstreamCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fixture.Upstream.Respond = async (_, context) =>
        {
            using var registration = context.RequestAborted.Register(() => upstreamCancelled.TrySetResult());
            Sse.Start(context);
            await Sse.DataAsync(context, FakeOpenAi.Chunk(new { role = "assistant", content = "" }));
            for (var i = 0; i < 1000 && !context.RequestAborted.IsCancellationRequested; i++)
            {
                await Sse.DataAsync(context, FakeOpenAi.Chunk(new { content = "word " }));
                await Task.Delay(20, context.RequestAborted);
            }
        };
        var (_, key) = await Gateway.FundedKeyAsync();
        using var cancel = new CancellationTokenSource();
        string? requestId = null;

        var received = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            var stream = Gateway.Chat(key.RawKey, "openai/gpt-4o").CompleteChatStreamingAsync([new UserChatMessage("Count forever")], cancellationToken: cancel.Token);
            await foreach (var update in stream)
            {
                requestId ??= update.CompletionId["chatcmpl-".Length..];
                if (++received == 5)
                {
                    await cancel.CancelAsync();
                }
            }
        });

        await upstreamCancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var row = await UsageRowAsync(requestId!);
        Assert.Equal("Cancelled", row["Outcome"]);
        Assert.True(long.Parse(row["CompletionTokens"], System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    private async Task<Dictionary<string, string>> UsageRowAsync(string requestId)
    {
        Dictionary<string, string>? row = null;
        await Poll.UntilAsync(async () =>
        {
            var rows = await Sql.RowsAsync(Gateway.Host.ConnectionString,
                """SELECT row_to_json(u)::text FROM billing.usage_records u WHERE "RequestId" = @id""", ("id", requestId));
            row = rows.Count == 1 ? JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(rows[0])!.ToDictionary(p => p.Key, p => p.Value.ToString()) : null;
            return row is not null;
        }, "the request's usage row");
        return row!;
    }

    private static void AssertNothingSecret(string body)
    {
        Assert.DoesNotContain("upstream-secret", body, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
        Assert.DoesNotContain("localhost", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, ErrorBody Error)> PostAsync(string rawKey, string body)
    {
        using var client = Gateway.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", rawKey);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, ErrorBody.Parse(await response.Content.ReadAsStringAsync()));
    }

    private async Task<(HttpStatusCode Status, List<string> Events, string RequestId)> StreamRawAsync(string rawKey, string model)
    {
        using var client = Gateway.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent($$"""{"model":"{{model}}","stream":true,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", rawKey);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..]).ToList();
        return (response.StatusCode, events, response.Headers.GetValues("x-request-id").Single());
    }

    private static ErrorBody ErrorOf(ClientResultException failure) => ErrorBody.Parse(failure.GetRawResponse()!.Content.ToString());

    private sealed record ErrorBody(string Message, string Type, string? Param, string? Code)
    {
        public static ErrorBody Parse(string json)
        {
            var error = JsonDocument.Parse(json).RootElement.GetProperty("error");
            return new ErrorBody(error.GetProperty("message").GetString()!, error.GetProperty("type").GetString()!,
                error.GetProperty("param").GetString(), error.GetProperty("code").GetString());
        }
    }
}
