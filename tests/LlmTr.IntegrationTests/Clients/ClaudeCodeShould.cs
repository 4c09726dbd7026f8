using LlmTr.IntegrationTests.Gateway;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;

namespace LlmTr.IntegrationTests.Clients;

/// <summary>
/// Claude Code itself (the version <c>tests/clients</c> pins), run with <c>claude -p</c> against the gateway on a real
/// port: one non-interactive turn must complete through LLMTR's Messages API, and be billed.
/// </summary>
public sealed class ClaudeCodeShould(ClaudeCodeFixture fixture) : IClassFixture<ClaudeCodeFixture>
{
    /// <summary>Well under a minute: a turn against the fakes takes a few seconds.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(50);

    [Fact]
    public async Task CompleteATurnWithAnAnthropicModel()
    {
        var (userId, key) = await fixture.Gateway.FundedKeyAsync();
        fixture.Anthropic.Stream(async events =>
        {
            await events.StartAsync(new AnthropicTokens(120, 0));
            await events.TextAsync("Merhaba, ", "ben sahte Claude.");
            await events.EndAsync("end_turn", 9);
        });

        var result = await RealClients.ToolAsync("claude", ["-p", "Say hello in Turkish."], fixture.Environment(key.RawKey, "anthropic/claude-sonnet-4.5"), Limit);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Merhaba, ben sahte Claude.", result.StandardOutput, StringComparison.Ordinal);
        var sent = fixture.Anthropic.Last;
        Assert.Equal("/v1/messages?beta=true", sent.PathAndQuery);
        Assert.Contains("claude-code-", sent.Header("anthropic-beta") ?? "", StringComparison.Ordinal);
        Assert.Equal("claude-sonnet-4-5", sent.Json.GetProperty("model").GetString());
        var rows = await fixture.UsageAsync(userId);
        Assert.Contains("anthropic/claude-sonnet-4.5,120,9", rows);
    }

    /// <summary>
    /// The demo model answers Claude Code without any provider. Claude Code always declares its tools, so this needs
    /// <c>llmtr/demo</c> to accept tools (it answers without calling them).
    /// </summary>
    [Fact]
    public async Task CompleteATurnWithTheDemoModel()
    {
        var (userId, key) = await fixture.Gateway.FundedKeyAsync();

        var result = await RealClients.ToolAsync("claude", ["-p", "Say hello."], fixture.Environment(key.RawKey, "llmtr/demo", bearer: true), Limit);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("LLMTR's built-in demo model", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(await fixture.UsageAsync(userId), row => row.StartsWith("llmtr/demo,", StringComparison.Ordinal));
    }
}

/// <summary>The gateway on Kestrel (Claude Code runs as its own process) with its Anthropic provider pointed at a fake.</summary>
public sealed class ClaudeCodeFixture : IAsyncLifetime
{
    public FakeAnthropic Anthropic { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Anthropic = await FakeAnthropic.StartAsync();
        Gateway = await GatewayHost.StartAsync([("anthropic", Anthropic.Upstream, "/")], kestrel: true);
    }

    /// <summary>
    /// What <c>claude -p</c> needs to run against the gateway alone: the address without <c>/v1</c> (Claude Code adds
    /// <c>/v1/messages</c>), the key, every model slot set to one LLMTR model id, and everything that would call
    /// Anthropic's own services (telemetry, updates, error reports, other non-essential traffic) turned off.
    /// </summary>
    /// <param name="bearer">Give the key as <c>ANTHROPIC_AUTH_TOKEN</c> (sent as <c>Authorization: Bearer</c>, the setup the docs show) rather than <c>ANTHROPIC_API_KEY</c> (<c>x-api-key</c>).</param>
    public Dictionary<string, string> Environment(string rawKey, string model, bool bearer = false) => new()
    {
        ["ANTHROPIC_BASE_URL"] = Gateway.Address!.ToString().TrimEnd('/'),
        [bearer ? "ANTHROPIC_AUTH_TOKEN" : "ANTHROPIC_API_KEY"] = rawKey,
        ["ANTHROPIC_MODEL"] = model,
        ["ANTHROPIC_SMALL_FAST_MODEL"] = model,
        ["ANTHROPIC_DEFAULT_HAIKU_MODEL"] = model,
        ["ANTHROPIC_DEFAULT_SONNET_MODEL"] = model,
        ["ANTHROPIC_DEFAULT_OPUS_MODEL"] = model,
        ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1",
        ["DISABLE_TELEMETRY"] = "1",
        ["DISABLE_AUTOUPDATER"] = "1",
        ["DISABLE_ERROR_REPORTING"] = "1",
    };

    /// <summary>This user's usage rows once written: model, prompt tokens, completion tokens.</summary>
    public async Task<List<string>> UsageAsync(string userId)
    {
        const string Row = """
            SELECT concat_ws(',', "ModelId", "PromptTokens", "CompletionTokens") FROM billing.usage_records WHERE "AccountId" = @a
            """;
        List<string> rows = [];
        await Poll.UntilAsync(async () => (rows = await Sql.RowsAsync(Gateway.Host.ConnectionString, Row, ("a", userId))).Count > 0, "the usage to be written");
        return rows;
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Anthropic.DisposeAsync();
    }
}
