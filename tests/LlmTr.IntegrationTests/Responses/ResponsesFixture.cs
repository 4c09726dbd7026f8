using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using LlmTr.IntegrationTests.Gateway;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using OpenAI;
using OpenAI.Responses;

#pragma warning disable OPENAI001 // The SDK marks its Responses client experimental; the wire format it speaks is what is tested.

namespace LlmTr.IntegrationTests.Responses;

/// <summary>
/// The gateway with the seed catalog, its OpenAI provider (which speaks the Responses API, so it is relayed natively)
/// and its DeepSeek provider (chat completions only, so it is translated) pointed at one scripted fake that answers on
/// both paths, its Anthropic provider at a fake Messages API and its Google provider at a fake Gemini API; the official
/// OpenAI SDK's Responses client pointed at the gateway.
/// </summary>
public sealed class ResponsesFixture : IAsyncLifetime
{
    public const string Gpt = "openai/gpt-4o";
    public const string Compatible = "deepseek/deepseek-v4-flash";
    public const string Claude = "anthropic/claude-sonnet-4.5";
    public const string Gemini = "google/gemini-2.5-flash";
    public const string Demo = "llmtr/demo";

    public ScriptedUpstream OpenAi { get; private set; } = null!;

    public FakeAnthropic Anthropic { get; private set; } = null!;

    public FakeGemini Google { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        OpenAi = await ScriptedUpstream.StartAsync();
        Anthropic = await FakeAnthropic.StartAsync();
        Google = await FakeGemini.StartAsync();
        Gateway = await GatewayHost.StartAsync([("openai", OpenAi.Server, "/v1"), ("deepseek", OpenAi.Server, "/v1"), ("anthropic", Anthropic.Upstream, "/"), ("google", Google.Upstream, "/")]);
        await Gateway.WithoutFallbacksAsync(); // each provider's own answers and errors, not a fallback's
    }

    /// <summary>The SDK's Responses client with a new funded key; and the key's owner and raw key.</summary>
    public async Task<(ResponsesClient Client, string UserId, string RawKey)> ClientAsync()
    {
        var (userId, key) = await Gateway.FundedKeyAsync();
        return (Client(key.RawKey), userId, key.RawKey);
    }

    public ResponsesClient Client(string rawKey) =>
        new OpenAIClient(new ApiKeyCredential(rawKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(Gateway.Host.Server.BaseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(Gateway.Host.CreateClient()),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        }).GetResponsesClient();

    /// <summary>The usage Billing has written for this user's one request.</summary>
    public async Task<UsageRow> UsageAsync(string userId)
    {
        const string Row = """
            SELECT concat_ws(',', "RequestId", "PromptTokens", "CompletionTokens", "CachedPromptTokens", "Streamed", "Cost", "ModelId")
            FROM billing.usage_records WHERE "AccountId" = @a
            """;
        List<string> rows = [];
        await Poll.UntilAsync(async () => (rows = await Sql.RowsAsync(Gateway.Host.ConnectionString, Row, ("a", userId))).Count > 0, "the usage to be written");
        var f = Assert.Single(rows).Split(',');
        return new UsageRow(f[0], long.Parse(f[1], CultureInfo.InvariantCulture), long.Parse(f[2], CultureInfo.InvariantCulture),
            long.Parse(f[3], CultureInfo.InvariantCulture), f[4] == "t", decimal.Parse(f[5], CultureInfo.InvariantCulture), f[6]);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Google.DisposeAsync();
        await Anthropic.DisposeAsync();
        await OpenAi.DisposeAsync();
    }
}

public sealed record UsageRow(string RequestId, long Prompt, long Completion, long Cached, bool Streamed, decimal Cost, string Model);
