using System.Globalization;
using Anthropic;
using LlmTr.IntegrationTests.Gateway;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;

namespace LlmTr.IntegrationTests.Messages;

/// <summary>
/// The gateway with the seed catalog, its Anthropic provider pointed at a fake Messages API, its OpenAI provider at
/// a scripted OpenAI-compatible fake and its Google provider at a fake Gemini API; clients of the official Anthropic
/// SDK pointed at the gateway.
/// </summary>
public sealed class MessagesFixture : IAsyncLifetime
{
    public const string Claude = "anthropic/claude-sonnet-4.5";
    public const string Gpt = "openai/gpt-4o";
    public const string Gemini = "google/gemini-2.5-flash";

    public FakeAnthropic Anthropic { get; private set; } = null!;

    public ScriptedUpstream OpenAi { get; private set; } = null!;

    public FakeGemini Google { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Anthropic = await FakeAnthropic.StartAsync();
        OpenAi = await ScriptedUpstream.StartAsync();
        Google = await FakeGemini.StartAsync();
        Gateway = await GatewayHost.StartAsync([("anthropic", Anthropic.Upstream, "/"), ("openai", OpenAi.Server, "/v1"), ("google", Google.Upstream, "/")]);
    }

    /// <summary>The official Anthropic SDK pointed at the gateway with a new funded key (sent as x-api-key, as the SDK does); and the key's owner.</summary>
    public async Task<(AnthropicClient Client, string UserId, string RawKey)> ClientAsync()
    {
        var (userId, key) = await Gateway.FundedKeyAsync();
        return (Client(key.RawKey), userId, key.RawKey);
    }

    public AnthropicClient Client(string rawKey) => new()
    {
        ApiKey = rawKey,
        BaseUrl = Gateway.Host.Server.BaseAddress.ToString().TrimEnd('/'),
        HttpClient = Gateway.Host.CreateClient(),
        MaxRetries = 0,
    };

    /// <summary>The usage Billing has written for this user's one request: request id, prompt, completion, cached tokens, streamed.</summary>
    public async Task<(string RequestId, long Prompt, long Completion, long Cached, bool Streamed, decimal Cost, string Model)> UsageAsync(string userId)
    {
        const string Row = """
            SELECT concat_ws(',', "RequestId", "PromptTokens", "CompletionTokens", "CachedPromptTokens", "Streamed", "Cost", "ModelId")
            FROM billing.usage_records WHERE "AccountId" = @a
            """;
        List<string> rows = [];
        await Poll.UntilAsync(async () => (rows = await Sql.RowsAsync(Gateway.Host.ConnectionString, Row, ("a", userId))).Count > 0, "the usage to be written");
        var f = Assert.Single(rows).Split(',');
        return (f[0], long.Parse(f[1], CultureInfo.InvariantCulture), long.Parse(f[2], CultureInfo.InvariantCulture), long.Parse(f[3], CultureInfo.InvariantCulture),
            f[4] == "t", decimal.Parse(f[5], CultureInfo.InvariantCulture), f[6]);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await OpenAi.DisposeAsync();
        await Google.DisposeAsync();
        await Anthropic.DisposeAsync();
    }
}
