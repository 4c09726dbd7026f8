using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlmTr.IntegrationTests.Gateway;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Billing;

/// <summary>
/// Issue 20: every quantity a provider bills is priced at its own catalog unit, through the gateway end to end. For
/// each, the usage row, the ledger debit, the answer's <c>usage.cost</c> and <c>x-llmtr-cost</c> equal a figure worked
/// out by hand in the test, at the catalog's prices exactly: no margin is ever added to a usage price (the platform's
/// margin is taken once, on top-ups, and is 6% on this host).
/// </summary>
public sealed class ProviderBillsShould : IAsyncLifetime
{
    private static readonly DateTimeOffset PricedFrom = DateTimeOffset.UtcNow.AddMinutes(-5);

    private ScriptedUpstream openAi = null!;
    private FakeAnthropic anthropic = null!;
    private FakeGemini gemini = null!;
    private GatewayHost gateway = null!;

    public async Task InitializeAsync()
    {
        openAi = await ScriptedUpstream.StartAsync();
        anthropic = await FakeAnthropic.StartAsync();
        gemini = await FakeGemini.StartAsync();
        gateway = await GatewayHost.StartAsync(
            [("openai", openAi.Server, "/v1"), ("mimo", openAi.Server, "/v1"), ("anthropic", anthropic.Upstream, "/"), ("google", gemini.Upstream, "/")],
            new Dictionary<string, string?> { ["Billing:MarginRate"] = "0.06" });

        // The providers' published prices (per million tokens, per search, per image), set as an admin sets them.
        await PriceAsync("anthropic/claude-sonnet-4.5", (PriceUnit.InputTokensPerMillion, 3m), (PriceUnit.CachedInputTokensPerMillion, 0.30m),
            (PriceUnit.CacheWrite5mTokensPerMillion, 3.75m), (PriceUnit.CacheWrite1hTokensPerMillion, 6m), (PriceUnit.OutputTokensPerMillion, 15m),
            (PriceUnit.WebSearch, 0.01m));
        await PriceAsync("openai/gpt-4o-audio-preview", (PriceUnit.InputTokensPerMillion, 2.5m), (PriceUnit.OutputTokensPerMillion, 10m),
            (PriceUnit.AudioInputTokensPerMillion, 40m), (PriceUnit.AudioOutputTokensPerMillion, 80m));
        await PriceAsync("mimo/mimo-v2-flash", (PriceUnit.InputTokensPerMillion, 0.10m), (PriceUnit.OutputTokensPerMillion, 0.30m), (PriceUnit.WebSearch, 0.005m));
        await PriceAsync("google/gemini-2.5-flash", (PriceUnit.InputTokensPerMillion, 0.30m), (PriceUnit.CachedInputTokensPerMillion, 0.03m),
            (PriceUnit.AudioInputTokensPerMillion, 1m), (PriceUnit.OutputTokensPerMillion, 2.5m), (PriceUnit.WebSearch, 0.035m));
        // GPT Image priced per image by size and quality here (its output tokens free), to show the variant price at work.
        await PriceAsync("openai/gpt-image-1", (PriceUnit.InputTokensPerMillion, 5m), (PriceUnit.ImageInputTokensPerMillion, 10m), (PriceUnit.ImageOutputTokensPerMillion, 0m));
        var admin = gateway.Host.Services.GetRequiredService<ICatalogAdministration>();
        Assert.True((await admin.SetPriceAsync(new PriceInput("openai/gpt-image-1", "Image", 0.167m, PricedFrom, "1024x1024/high"), "admin@llmtr.test")).Succeeded);
        await Poll.UntilAsync(
            () => Task.FromResult(gateway.Catalog.FindModel("openai/gpt-image-1")?.PriceAt(PriceUnit.Image, "1024x1024/high", DateTimeOffset.UtcNow)?.Amount == 0.167m),
            "the new prices in the gateway's catalog");
    }

    [Fact]
    public async Task ChargeAnthropicCacheWritesByLifetimeAndItsWebSearches()
    {
        anthropic.AnswerWith("""
            {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Tamam."}],
             "stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":21,"cache_creation_input_tokens":4000,"cache_read_input_tokens":2000,
                      "cache_creation":{"ephemeral_5m_input_tokens":3000,"ephemeral_1h_input_tokens":1000},
                      "output_tokens":512,"server_tool_use":{"web_search_requests":2}}}
            """);

        // 21 × 3 + 2,000 × 0.30 + 3,000 × 3.75 + 1,000 × 6 + 512 × 15 = 25,593 per million, and 2 searches × 0.01.
        var row = await BillAsync("/v1/chat/completions", """{"model":"anthropic/claude-sonnet-4.5","messages":[{"role":"user","content":"Merhaba"}]}""", 0.045593m);

        Assert.Equal("6021|512|2000|3000|1000|2", row);
    }

    [Fact]
    public async Task ChargeAudioTokensInChatAtTheAudioPrices()
    {
        openAi.Respond = (_, context) => Sse.JsonAsync(context, 200, """
            {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-audio-preview",
             "choices":[{"index":0,"message":{"role":"assistant","content":null,"audio":{"id":"audio_1","data":"UklGRg==","expires_at":1,"transcript":"Merhaba"}},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":1210,"completion_tokens":905,"total_tokens":2115,
                      "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":1000},
                      "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":700}}}
            """);

        // 210 × 2.5 + 1,000 × 40 + 205 × 10 + 700 × 80 = 98,575 per million.
        var row = await BillAsync("/v1/chat/completions",
            """{"model":"openai/gpt-4o-audio-preview","modalities":["text","audio"],"audio":{"voice":"alloy","format":"wav"},"messages":[{"role":"user","content":"Merhaba"}]}""",
            0.098575m, audioColumns: true);

        Assert.Equal("1210|905|1000|700|0", row);
    }

    [Fact]
    public async Task ChargeAMimoWebSearchOncePerRequestThatSearched()
    {
        openAi.Respond = (_, context) => Sse.JsonAsync(context, 200, """
            {"id":"chatcmpl-2","object":"chat.completion","created":1,"model":"mimo-v2-flash",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Bugün İstanbul'da hava güneşli."},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":100,"completion_tokens":50,"total_tokens":150}}
            """);

        // 100 × 0.10 + 50 × 0.30 = 25 per million, and one search at 0.005.
        var row = await BillAsync("/v1/chat/completions",
            """{"model":"mimo/mimo-v2-flash","webSearchEnabled":true,"messages":[{"role":"user","content":"İstanbul'da hava nasıl?"}]}""", 0.005025m);

        Assert.Equal("100|50|0|0|0|1", row);
    }

    [Fact]
    public async Task ChargeGeminiAudioCacheThinkingAndAGroundedPrompt()
    {
        gemini.Reset().Then(FakeGemini.Json("""
            {"candidates":[{"content":{"role":"model","parts":[{"text":"Güneşli."}]},"finishReason":"STOP","index":0,
                            "groundingMetadata":{"webSearchQueries":["istanbul hava"]}}],
             "usageMetadata":{"promptTokenCount":1300,"candidatesTokenCount":40,"thoughtsTokenCount":200,"cachedContentTokenCount":256,"totalTokenCount":1540,
               "promptTokensDetails":[{"modality":"TEXT","tokenCount":500},{"modality":"AUDIO","tokenCount":800}]},
             "modelVersion":"gemini-2.5-flash"}
            """));

        // 256 × 0.03 + 800 × 1 + 244 × 0.30 + 240 × 2.5 = 1,480.88 per million, and one grounded prompt at 0.035.
        var row = await BillAsync("/v1/chat/completions", """{"model":"google/gemini-2.5-flash","messages":[{"role":"user","content":"Hava?"}]}""", 0.03648088m,
            audioColumns: true);

        Assert.Equal("1300|240|800|0|1", row);
    }

    [Fact]
    public async Task ChargeAnImageAtItsSizeAndQualityAndItsPromptTokensAtTheirUnits()
    {
        openAi.Respond = (_, context) => Sse.JsonAsync(context, 200, """
            {"created":1739200000,"data":[{"b64_json":"iVBORw0KGgo="}],
             "usage":{"input_tokens":50,"output_tokens":4160,"total_tokens":4210,"input_tokens_details":{"text_tokens":20,"image_tokens":30}}}
            """);

        // 20 × 5 + 30 × 10 = 400 per million, and one 1024×1024 high-quality image at 0.167 (its output tokens at zero: the image price covers them).
        var row = await BillAsync("/v1/images/generations", """{"model":"openai/gpt-image-1","prompt":"Bir kedi","size":"1024x1024","quality":"high"}""", 0.1674m,
            imageColumns: true);

        Assert.Equal("50|4160|30|4160|1|1024x1024/high", row);
    }

    public async Task DisposeAsync()
    {
        await gateway.DisposeAsync();
        await openAi.DisposeAsync();
        await anthropic.DisposeAsync();
        await gemini.DisposeAsync();
    }

    private async Task PriceAsync(string modelId, params (PriceUnit Unit, decimal Amount)[] prices)
    {
        var admin = gateway.Host.Services.GetRequiredService<ICatalogAdministration>();
        foreach (var (unit, amount) in prices)
        {
            var result = await admin.SetPriceAsync(new PriceInput(modelId, unit.ToString(), amount, PricedFrom), "admin@llmtr.test");
            Assert.True(result.Succeeded, string.Join(" ", result.Errors.SelectMany(e => e.Value)));
        }
    }

    /// <summary>
    /// Sends the request with a new funded key and checks the cost everywhere it shows: the answer's usage and header,
    /// the usage row and the ledger's debit. Returns the row's counts that matter, joined with <c>|</c>.
    /// </summary>
    private async Task<string> BillAsync(string path, string body, decimal expectedCost, bool audioColumns = false, bool imageColumns = false)
    {
        var (userId, key) = await gateway.FundedKeyAsync(10m);
        using var client = gateway.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key.RawKey);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);

        using var answer = JsonDocument.Parse(text);
        Assert.Equal(expectedCost, answer.RootElement.GetProperty("usage").GetProperty("cost").GetDecimal());
        Assert.Equal(expectedCost, decimal.Parse(Assert.Single(response.Headers.GetValues("x-llmtr-cost")), CultureInfo.InvariantCulture));

        var columns = imageColumns
            ? """ "PromptTokens", "CompletionTokens", "ImagePromptTokens", "ImageCompletionTokens", "Images", coalesce("ImageVariant", '') """
            : audioColumns
                ? """ "PromptTokens", "CompletionTokens", "AudioPromptTokens", "AudioCompletionTokens", "WebSearches" """
                : """ "PromptTokens", "CompletionTokens", "CachedPromptTokens", "CacheWrite5mTokens", "CacheWrite1hTokens", "WebSearches" """;
        var query = $"""SELECT concat_ws('|', {columns}, "Cost") FROM billing.usage_records WHERE "AccountId" = @a""";
        List<string> rows = [];
        await Poll.UntilAsync(async () => (rows = await Sql.RowsAsync(gateway.Host.ConnectionString, query, ("a", userId))).Count > 0, "the usage row");
        var fields = Assert.Single(rows).Split('|');
        Assert.Equal(expectedCost, decimal.Parse(fields[^1], CultureInfo.InvariantCulture));

        List<string> debits = [];
        await Poll.UntilAsync(
            async () => (debits = await Sql.RowsAsync(gateway.Host.ConnectionString,
                """SELECT "Amount"::text FROM billing.ledger_entries WHERE "AccountId" = @a AND "Kind" = 'UsageDebit'""", ("a", userId))).Count > 0,
            "the usage debit");
        Assert.Equal(-expectedCost, decimal.Parse(Assert.Single(debits), CultureInfo.InvariantCulture));

        return string.Join('|', fields[..^1]);
    }
}
