using System.ClientModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlmTr.IntegrationTests.Gateway;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using OpenAI.Chat;

namespace LlmTr.IntegrationTests.Reliability;

/// <summary>
/// Providers that fail on purpose, in the ways real ones do. Each case checks the documented answer, that it comes
/// within the configured timeout, that the message gives away neither the provider's key nor its address, and that
/// what was produced is billed exactly once. (GatewayErrorsShould covers the plain non-streaming rows of the table.)
/// </summary>
public sealed class UpstreamFaultsShould(UpstreamFaultsFixture fixture) : IClassFixture<UpstreamFaultsFixture>
{
    /// <summary>Room above the configured timeout for a busy machine; a hang runs into the fakes' minute-long waits.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(5);

    private GatewayHost Gateway => fixture.Gateway;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnswerAProviderThatSendsNoHeadersInTimeWith502WithinTheTimeout(bool stream)
    {
        fixture.Http.Respond = async (_, context) => await Task.Delay(TimeSpan.FromMinutes(1), context.RequestAborted);
        var (userId, key) = await Gateway.FundedKeyAsync(credit: 10m);

        var answer = await PostAsync(key.RawKey, "openai/gpt-4o", stream);

        Assert.InRange(answer.Elapsed, TimeSpan.Zero, UpstreamFaultsFixture.Timeout + Slack);
        AssertJsonError(answer, HttpStatusCode.BadGateway, "provider_error", "provider_timeout");
        await AssertBilledOnceAsync(userId, answer.RequestId, 10m, expectCost: false);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnswerARefusedConnectionWith502WithoutTheProvidersAddress(bool stream)
    {
        var (userId, key) = await Gateway.FundedKeyAsync(credit: 10m);

        var answer = await PostAsync(key.RawKey, "xai/grok-4", stream);

        Assert.InRange(answer.Elapsed, TimeSpan.Zero, UpstreamFaultsFixture.Timeout + Slack);
        AssertJsonError(answer, HttpStatusCode.BadGateway, "provider_error", "provider_unreachable");
        Assert.DoesNotContain(fixture.RefusingPort.ToString(CultureInfo.InvariantCulture), answer.Body, StringComparison.Ordinal);
        await AssertBilledOnceAsync(userId, answer.RequestId, 10m, expectCost: false);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnswerAConnectionResetBeforeTheHeadersWith502(bool stream)
    {
        fixture.Raw.Script = (_, _) => Task.CompletedTask;
        var (userId, key) = await Gateway.FundedKeyAsync(credit: 10m);

        var answer = await PostAsync(key.RawKey, "mistral/mistral-large-latest", stream);

        Assert.InRange(answer.Elapsed, TimeSpan.Zero, UpstreamFaultsFixture.Timeout + Slack);
        AssertJsonError(answer, HttpStatusCode.BadGateway, "provider_error", "provider_unreachable");
        await AssertBilledOnceAsync(userId, answer.RequestId, 10m, expectCost: false);
    }

    [Fact]
    public async Task AnswerAConnectionResetBeforeTheHeadersWith502InTheSdk()
    {
        fixture.Raw.Script = (_, _) => Task.CompletedTask;
        var (_, key) = await Gateway.FundedKeyAsync(credit: 10m);

        var failure = await Assert.ThrowsAsync<ClientResultException>(() =>
            Gateway.Chat(key.RawKey, "mistral/mistral-large-latest").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(502, failure.Status);
        AssertNothingSecret(failure.GetRawResponse()!.Content.ToString());
    }

    [Fact]
    public async Task AnswerAConnectionResetInsideAJsonAnswerWith502()
    {
        fixture.Raw.Script = async (connection, cancel) =>
        {
            await RawUpstream.WriteAsync(connection, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n", cancel);
            await RawUpstream.WriteAsync(connection, """{"id":"chatcmpl-upstream-1","object":"chat.completion","choi""", cancel);
        };
        var (userId, key) = await Gateway.FundedKeyAsync(credit: 10m);

        var answer = await PostAsync(key.RawKey, "mistral/mistral-large-latest", stream: false);

        AssertJsonError(answer, HttpStatusCode.BadGateway, "provider_error", "provider_bad_response");
        await AssertBilledOnceAsync(userId, answer.RequestId, 10m, expectCost: false);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task EndAStreamCutBeforeDoneWithAnSseErrorEventAndBillItsUsageOnce(bool reset)
    {
        // The provider reports the usage, then the connection is reset (or the body ends cleanly) before [DONE].
        fixture.Raw.Script = async (connection, cancel) =>
        {
            await RawUpstream.WriteAsync(connection, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n", cancel);
            foreach (var data in new[] { FakeOpenAi.Chunk(new { role = "assistant", content = "Half an answer" }), FakeOpenAi.UsageChunk(40, 12) })
            {
                await RawUpstream.WriteAsync(connection, Chunked($"data: {data}\n\n"), cancel);
            }

            if (!reset)
            {
                await RawUpstream.WriteAsync(connection, "0\r\n\r\n", cancel);
            }
        };
        var (userId, key) = await Gateway.FundedKeyAsync(credit: 10m);

        var answer = await PostAsync(key.RawKey, "mistral/mistral-large-latest", stream: true);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var events = Events(answer.Body);
        Assert.Contains("Half an answer", events[0], StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", events);
        var error = JsonDocument.Parse(events[^1]).RootElement.GetProperty("error");
        Assert.Equal(("provider_error", "provider_stream_interrupted"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
        var row = await AssertBilledOnceAsync(userId, answer.RequestId, 10m, expectCost: true);
        Assert.Equal(("40", "12", "Failed"), (row["PromptTokens"], row["CompletionTokens"], row["Outcome"]));
    }

    [Fact]
    public async Task EndAStreamThatStallsWithinItsIdleTimeoutAndBillWhatWasProducedOnce()
    {
        fixture.Http.Respond = async (_, context) =>
        {
            Sse.Start(context);
            await Sse.DataAsync(context, FakeOpenAi.Chunk(new { role = "assistant", content = "Thinking about it" }));
            await Task.Delay(TimeSpan.FromMinutes(1), context.RequestAborted);
        };
        var (userId, key) = await Gateway.FundedKeyAsync(credit: 10m);

        var answer = await PostAsync(key.RawKey, "openai/gpt-4o", stream: true);

        Assert.InRange(answer.Elapsed, TimeSpan.Zero, UpstreamFaultsFixture.Timeout + Slack);
        var events = Events(answer.Body);
        Assert.Contains("Thinking about it", events[0], StringComparison.Ordinal);
        var error = JsonDocument.Parse(events[^1]).RootElement.GetProperty("error");
        Assert.Equal(("provider_error", "provider_timeout"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
        var row = await AssertBilledOnceAsync(userId, answer.RequestId, 10m, expectCost: true);
        Assert.True(long.Parse(row["CompletionTokens"], CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task AnswerA5xxToAStreamingRequestWith502WithoutTheEchoedKey()
    {
        fixture.Http.Respond = (_, context) => Sse.JsonAsync(context, 503,
            FakeOpenAi.Error($"Overloaded. key={context.Request.Headers.Authorization} upstream={fixture.Http.Server.BaseAddress}"));
        var (userId, key) = await Gateway.FundedKeyAsync(credit: 10m);

        var answer = await PostAsync(key.RawKey, "openai/gpt-4o", stream: true);

        AssertJsonError(answer, HttpStatusCode.BadGateway, "provider_error", "provider_error");
        await AssertBilledOnceAsync(userId, answer.RequestId, 10m, expectCost: false);
    }

    [Fact]
    public async Task AnswerA429ToAStreamingRequestWith429PassingRetryAfterOn()
    {
        fixture.Http.Respond = (_, context) =>
        {
            context.Response.Headers.RetryAfter = "12";
            return Sse.JsonAsync(context, 429, FakeOpenAi.Error($"Slow down, {context.Request.Headers.Authorization}", "requests"));
        };
        var (userId, key) = await Gateway.FundedKeyAsync(credit: 10m);

        var answer = await PostAsync(key.RawKey, "openai/gpt-4o", stream: true);

        AssertJsonError(answer, HttpStatusCode.TooManyRequests, "rate_limit_exceeded", null);
        Assert.Equal("12", answer.RetryAfter);
        await AssertBilledOnceAsync(userId, answer.RequestId, 10m, expectCost: false);
    }

    [Fact]
    public async Task AnswerA200ThatIsNotJsonWith502WithoutRepeatingIt()
    {
        fixture.Http.Respond = (_, context) => Sse.JsonAsync(context, 200,
            $"<html>proxy error at {fixture.Http.Server.BaseAddress} for {context.Request.Headers.Authorization}</html>");
        var (userId, key) = await Gateway.FundedKeyAsync(credit: 10m);

        var answer = await PostAsync(key.RawKey, "openai/gpt-4o", stream: false);

        AssertJsonError(answer, HttpStatusCode.BadGateway, "provider_error", "provider_bad_response");
        await AssertBilledOnceAsync(userId, answer.RequestId, 10m, expectCost: false);
    }

    [Fact]
    public async Task EndAStreamWhoseEventsAreNotJsonWithAnSseErrorEvent()
    {
        fixture.Http.Respond = async (_, context) =>
        {
            Sse.Start(context);
            await Sse.DataAsync(context, FakeOpenAi.Chunk(new { role = "assistant", content = "Hello" }));
            await Sse.DataAsync(context, $"<html>proxy error for {context.Request.Headers.Authorization}</html>");
        };
        var (userId, key) = await Gateway.FundedKeyAsync(credit: 10m);

        var answer = await PostAsync(key.RawKey, "openai/gpt-4o", stream: true);

        AssertNothingSecret(answer.Body);
        var error = JsonDocument.Parse(Events(answer.Body)[^1]).RootElement.GetProperty("error");
        Assert.Equal("provider_error", error.GetProperty("type").GetString());
        await AssertBilledOnceAsync(userId, answer.RequestId, 10m, expectCost: true);
    }

    private static void AssertJsonError(Answer answer, HttpStatusCode status, string type, string? code)
    {
        Assert.Equal(status, answer.Status);
        Assert.StartsWith("application/json", answer.ContentType, StringComparison.Ordinal);
        var error = JsonDocument.Parse(answer.Body).RootElement.GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
        if (code is not null)
        {
            Assert.Equal(code, error.GetProperty("code").GetString());
        }

        AssertNothingSecret(answer.Body);
    }

    private static void AssertNothingSecret(string body)
    {
        foreach (var provider in new[] { "openai", "mistral", "xai" })
        {
            Assert.DoesNotContain(GatewayHost.UpstreamKey(provider), body, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("upstream-secret", body, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
        Assert.DoesNotContain("localhost", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }

    /// <summary>
    /// The request's one usage row, once Billing wrote it and the ledger caught up: exactly one row for the request,
    /// and the account's usage debits and balance match its cost, so nothing was charged twice or not at all.
    /// </summary>
    private async Task<Dictionary<string, string>> AssertBilledOnceAsync(string userId, string requestId, decimal credit, bool expectCost)
    {
        var connection = Gateway.Host.ConnectionString;
        List<string> rows = [];
        await Poll.UntilAsync(async () => (rows = await Sql.RowsAsync(connection,
            """SELECT row_to_json(u)::text FROM billing.usage_records u WHERE "AccountId" = @a""", ("a", userId))).Count > 0, "the request's usage row");
        var row = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Assert.Single(rows))!.ToDictionary(p => p.Key, p => p.Value.ToString());
        Assert.Equal(requestId, row["RequestId"]);
        var cost = decimal.Parse(row["Cost"], CultureInfo.InvariantCulture);
        Assert.Equal(expectCost, cost > 0);

        decimal debited = -1, balance = -1;
        await Poll.UntilAsync(async () =>
        {
            debited = -decimal.Parse((await Sql.RowsAsync(connection,
                """SELECT COALESCE(sum("Amount"), 0) FROM billing.ledger_entries WHERE "AccountId" = @a AND "Kind" = 'UsageDebit'""", ("a", userId))).Single(),
                CultureInfo.InvariantCulture);
            balance = decimal.Parse((await Sql.RowsAsync(connection, """SELECT "Balance" FROM billing.accounts WHERE "AccountId" = @a""", ("a", userId))).Single(),
                CultureInfo.InvariantCulture);
            return debited >= cost;
        }, "the usage debit");
        Assert.Equal((cost, credit - cost), (debited, balance));
        Assert.Equal(1, await Sql.CountAsync(connection, """SELECT count(*) FROM billing.usage_records WHERE "RequestId" = @id""", ("id", requestId)));
        return row;
    }

    private async Task<Answer> PostAsync(string rawKey, string model, bool stream)
    {
        using var client = Gateway.Host.CreateClient();
        client.Timeout = TimeSpan.FromMinutes(2);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(
                // Each case is one provider's fault: the request allows no other deployment and no fallback model to hide it.
                $$$"""{"model":"{{{model}}}","llmtr":{"provider":{"order":["{{{model.Split('/')[0]}}}"],"allow_fallbacks":false}},"stream":{{{(stream ? "true" : "false")}}},"messages":[{"role":"user","content":"Tell me something"}]}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", rawKey);
        var clock = Stopwatch.StartNew();
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        clock.Stop();
        return new Answer(response.StatusCode, response.Content.Headers.ContentType?.ToString() ?? "", body,
            response.Headers.GetValues("x-request-id").Single(), response.Headers.RetryAfter?.ToString(), clock.Elapsed);
    }

    private static List<string> Events(string body) =>
        body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..]).ToList();

    private static string Chunked(string text)
    {
        var bytes = Encoding.UTF8.GetByteCount(text);
        return $"{bytes:x}\r\n{text}\r\n";
    }

    private sealed record Answer(HttpStatusCode Status, string ContentType, string Body, string RequestId, string? RetryAfter, TimeSpan Elapsed);
}
