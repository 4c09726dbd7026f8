using System.ClientModel;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;

namespace LlmTr.IntegrationTests.Gateway;

/// <summary>Fallbacks, model availability, usage rows and gateway faults.</summary>
public sealed class GatewayRoutingShould(OpenAiGatewayFixture fixture) : IClassFixture<OpenAiGatewayFixture>
{
    private GatewayHost Gateway => fixture.Gateway;

    [Fact]
    public async Task FallBackToTheNextCatalogModelWhenTheProviderFailsBeforeAnswering()
    {
        var primary = await AddModelAsync(fallbacks: ["openai/gpt-4o"]);
        fixture.Upstream.Respond = (request, context) => request.Json.GetProperty("model").GetString() == "gpt-4o"
            ? Sse.JsonAsync(context, 200, FakeOpenAi.Completion("from the fallback"))
            : Sse.JsonAsync(context, 503, FakeOpenAi.Error("overloaded"));
        var (_, key) = await Gateway.FundedKeyAsync();

        var result = await Gateway.Chat(key.RawKey, primary).CompleteChatAsync([new UserChatMessage("hi")]);

        Assert.Equal("from the fallback", result.Value.Content[0].Text);
        Assert.Equal("openai/gpt-4o", result.Value.Model);
        Assert.True(result.GetRawResponse().Headers.TryGetValue("x-llmtr-served-by", out var servedBy));
        Assert.Equal("openai/gpt-4o; deployment=openai", servedBy);
        var models = fixture.Upstream.Server.Received.TakeLast(2).Select(r => r.Json.GetProperty("model").GetString()).ToList();
        Assert.Equal(["primary-upstream", "gpt-4o"], models);
    }

    [Fact]
    public async Task RefuseAPrivateOrDisabledModelWith403()
    {
        var hidden = await AddModelAsync(visibility: nameof(ModelVisibility.Private));
        var disabled = await AddModelAsync(status: nameof(ModelStatus.Disabled));
        var (_, key) = await Gateway.FundedKeyAsync();

        foreach (var model in new[] { hidden, disabled })
        {
            var failure = await Assert.ThrowsAsync<ClientResultException>(() => Gateway.Chat(key.RawKey, model).CompleteChatAsync([new UserChatMessage("hi")]));
            Assert.Equal(403, failure.Status);
            Assert.Contains("\"code\":\"model_not_available\"", failure.GetRawResponse()!.Content.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RecordUsageAndCostAsTheProviderReportedThemStreamingOrNot()
    {
        var (userId, key) = await Gateway.FundedKeyAsync();
        var chat = Gateway.Chat(key.RawKey, "openai/gpt-4o");
        fixture.Upstream.Respond = (_, context) => Sse.JsonAsync(context, 200, FakeOpenAi.Completion("ok", prompt: 400_000, completion: 20_000));
        var whole = await chat.CompleteChatAsync([new UserChatMessage("hi")]);
        fixture.Upstream.Respond = (_, context) => FakeOpenAi.StreamAsync(context, ["o", "k"], prompt: 200_000, completion: 10_000);
        using var client = Gateway.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"openai/gpt-4o","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}""",
                System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key.RawKey);
        using var streamed = await client.SendAsync(request);
        var events = (await streamed.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..]).ToList();
        var usageChunk = JsonDocument.Parse(events[^2]).RootElement;

        Assert.Equal("[DONE]", events[^1]);
        Assert.Equal(0, usageChunk.GetProperty("choices").GetArrayLength());
        Assert.Equal(0.5m + 0.1m, usageChunk.GetProperty("usage").GetProperty("cost").GetDecimal());
        Assert.Equal(200_000, usageChunk.GetProperty("usage").GetProperty("prompt_tokens").GetInt64());
        var wholeCost = JsonDocument.Parse(whole.GetRawResponse().Content.ToString()).RootElement.GetProperty("usage").GetProperty("cost").GetDecimal();
        Assert.Equal(1.0m + 0.2m, wholeCost);
        await Poll.UntilAsync(async () => (await Sql.RowsAsync(Gateway.Host.ConnectionString,
            """SELECT 1 FROM billing.usage_records WHERE "AccountId" = @a""", ("a", userId))).Count == 2, "both usage rows");
        var rows = await Sql.RowsAsync(Gateway.Host.ConnectionString, """
            SELECT concat_ws('|', "PromptTokens", "CompletionTokens", "Cost"::numeric(20,6), "Outcome", "HttpStatus", "Streamed")
            FROM billing.usage_records WHERE "AccountId" = @a ORDER BY "StartedAt"
            """, ("a", userId));
        Assert.Equal(["400000|20000|1.200000|Succeeded|200|f", "200000|10000|0.600000|Succeeded|200|t"], rows);
    }

    [Fact]
    public async Task AnswerAGatewayFaultWith500AndTheRequestIdOnly()
    {
        await using var faulty = await GatewayHost.StartAsync([], services: services => services.AddSingleton<IUsageRecorder, ThrowingUsageRecorder>());
        var (_, key) = await faulty.FundedKeyAsync();

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => faulty.Chat(key.RawKey, "llmtr/demo").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(500, failure.Status);
        var body = failure.GetRawResponse()!.Content.ToString();
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal(("internal_error", "internal_error"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
        Assert.True(failure.GetRawResponse()!.Headers.TryGetValue("x-request-id", out var requestId));
        Assert.Contains(requestId!, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("ledger unavailable", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }

    private async Task<string> AddModelAsync(string[]? fallbacks = null, string visibility = "Public", string status = "Active")
    {
        var id = $"deepseek/test-{Guid.NewGuid():N}"[..30];
        var admin = Gateway.Host.Services.GetRequiredService<ICatalogAdministration>();
        var saved = await admin.SaveModelAsync(new ModelInput(id, "primary-upstream", "Test model", "For gateway tests.", "Gateway testleri için.", 32_000, 4_096,
            ["text"], ["text"], ["chat", "streaming"], [], status, visibility, fallbacks ?? [], null,
            [new DataPathHop("LLMTR gateway", "TR", "Istanbul", "Routes", "Metadata only", false, HopRetention.MetadataOnly)]), "tests");
        Assert.True(saved.Succeeded, string.Join(" ", saved.Errors.SelectMany(e => e.Value)));
        var catalog = Gateway.Host.Services.GetRequiredService<IModelCatalog>();
        await Poll.UntilAsync(() => Task.FromResult(catalog.Current.FindModel(id) is not null), "the model to reach the catalog");
        return id;
    }

    private sealed class ThrowingUsageRecorder : IUsageRecorder
    {
        public UsageCharge Record(UsageReport report) => throw new InvalidOperationException("ledger unavailable");

        public decimal MaximumCost(string modelId, UsageCounts maximum, DateTimeOffset startedAt) => 0m;
    }
}
