using LlmTr.IntegrationTests.Gateway;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Clients;

/// <summary>
/// The pinned Codex CLI (<c>codex exec</c>, non-interactive) against a gateway listening on a real port, configured as
/// a custom provider speaking the Responses API, with LLMTR's built-in demo model: its whole request (a long developer
/// prompt, a dozen tools of several kinds, streaming) is served, and its agent loop runs to the end; and with an OpenAI
/// model served through a chat completions upstream, which gets Codex's request translated.
/// </summary>
public sealed class CodexShould : IAsyncLifetime
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(45);
    private GatewayHost _gateway = null!;
    private ScriptedUpstream _openAi = null!;

    public async Task InitializeAsync()
    {
        _openAi = await ScriptedUpstream.StartAsync();
        _gateway = await GatewayHost.StartAsync([("openai", _openAi.Server, "/v1"), ("deepseek", _openAi.Server, "/v1")], new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" }, kestrel: true);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _openAi.DisposeAsync();
    }

    [Fact]
    public async Task GetTheDemoModelsAnswerAndBeBilledForIt()
    {
        var (userId, key) = await _gateway.FundedKeyAsync(key: new NewApiKey("codex"));

        var result = await CodexAsync(key.RawKey, "Say hello to the gateway");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Hello from LLMTR's built-in demo model", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("You said: \"Say hello to the gateway\"", result.StandardOutput, StringComparison.Ordinal);
        var rows = await UsageAsync(userId, 1);
        Assert.All(rows, row => Assert.Equal((key.Id, 200, UsageOutcome.Succeeded), (row.KeyId, row.HttpStatus, row.Outcome)));
        Assert.True(rows[0].PromptTokens > 1000, $"Codex's prompt and tools count: {rows[0].PromptTokens} tokens");
    }

    [Fact]
    public async Task RunTheToolTheDemoModelCallsAndFinishWithItsResult()
    {
        var (userId, key) = await _gateway.FundedKeyAsync(key: new NewApiKey("codex-tools"));

        // The demo calls exec_command with the words after its name as the command; Codex runs it and sends the output back.
        var result = await CodexAsync(key.RawKey, "exec_command echo demo-agent-loop");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(result.ExitCode == 0 && System.Text.RegularExpressions.Regex.IsMatch(result.StandardOutput, "The tool answered: \"[^\"]*\\bdemo-agent-loop\\b"), result.ToString());
        Assert.Contains("echo demo-agent-loop", result.StandardError, StringComparison.Ordinal); // Codex's log of the command it ran
        await UsageAsync(userId, 2); // the call, then the answer to its result
    }

    [Fact]
    public async Task DriveAnOpenAiModelThroughItsOwnResponsesApi()
    {
        var (userId, key) = await _gateway.FundedKeyAsync(key: new NewApiKey("codex-openai"));
        _openAi.Respond = (_, context) => FakeOpenAiResponses.StreamTextAsync(context, ["Merhaba", " from", " the", " Responses", " upstream"], new FakeOpenAiResponses.Tokens(900, 5));

        var result = await CodexAsync(key.RawKey, "Say hello", "openai/gpt-4o");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Merhaba from the Responses upstream", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("/v1/responses", _openAi.Last.PathAndQuery);
        var sent = _openAi.Last.Json;
        Assert.Equal(("gpt-4o", false), (sent.GetProperty("model").GetString(), sent.GetProperty("store").GetBoolean()));
        // Codex's own request reaches OpenAI as it sent it: its built-in web search offer and freeform tools included.
        Assert.Contains(sent.GetProperty("tools").EnumerateArray(), t => t.GetProperty("type").GetString() == "web_search");
        var history = _gateway.Host.Services.GetRequiredService<IUsageHistory>();
        await Poll.UntilAsync(async () => (await history.QueryAsync(userId, new UsageFilter(ModelId: "openai/gpt-4o"), 0, 10)).Total == 1, "the usage row of openai/gpt-4o");
    }

    [Fact]
    public async Task DriveATranslatedModelThroughChatCompletions()
    {
        var (userId, key) = await _gateway.FundedKeyAsync(key: new NewApiKey("codex-deepseek"));
        _openAi.Respond = (_, context) => FakeOpenAi.StreamAsync(context, ["Merhaba", " from", " the", " chat", " upstream"]);

        var result = await CodexAsync(key.RawKey, "Say hello", "deepseek/deepseek-v4-flash");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Merhaba from the chat upstream", result.StandardOutput, StringComparison.Ordinal);
        var sent = _openAi.Last.Json;
        Assert.Equal("/v1/chat/completions", _openAi.Last.PathAndQuery);
        Assert.Equal("deepseek-v4-flash", sent.GetProperty("model").GetString());
        Assert.Contains(sent.GetProperty("messages").EnumerateArray(), m => m.GetProperty("role").GetString() == "developer");
        var tools = sent.GetProperty("tools").EnumerateArray().ToList();
        Assert.All(tools, t => Assert.Equal("function", t.GetProperty("type").GetString())); // the web search offer is left out
        Assert.Contains(tools, t => t.GetProperty("function").GetProperty("name").GetString() == "exec_command");
        var history = _gateway.Host.Services.GetRequiredService<IUsageHistory>();
        await Poll.UntilAsync(async () => (await history.QueryAsync(userId, new UsageFilter(ModelId: "deepseek/deepseek-v4-flash"), 0, 10)).Total == 1,
            "the usage row of deepseek/deepseek-v4-flash");
    }

    /// <summary>
    /// Runs <c>codex exec</c> with a configuration of its own: the gateway as provider <c>llmtr</c> (Responses API,
    /// key from LLMTR_API_KEY, no retries so a refusal fails fast) and the demo model.
    /// </summary>
    private async Task<RealClients.Result> CodexAsync(string apiKey, string prompt, string model = "llmtr/demo")
    {
        var codexHome = Directory.CreateTempSubdirectory("llmtr-codex-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(codexHome.FullName, "config.toml"), $"""
                model = "{model}"
                model_provider = "llmtr"

                [model_providers.llmtr]
                name = "LLMTR"
                base_url = "{new Uri(_gateway.Address!, "/v1")}"
                env_key = "LLMTR_API_KEY"
                wire_api = "responses"
                request_max_retries = 0
                stream_max_retries = 0
                """);
            return await RealClients.ToolAsync(
                "codex",
                ["exec", "--skip-git-repo-check", "--color", "never", "--sandbox", "read-only", prompt],
                new Dictionary<string, string> { ["CODEX_HOME"] = codexHome.FullName, ["LLMTR_API_KEY"] = apiKey },
                RunLimit);
        }
        finally
        {
            codexHome.Delete(recursive: true);
        }
    }

    private async Task<IReadOnlyList<UsageRow>> UsageAsync(string userId, int expected)
    {
        var history = _gateway.Host.Services.GetRequiredService<IUsageHistory>();
        UsagePage? page = null;
        await Poll.UntilAsync(async () => (page = await history.QueryAsync(userId, new UsageFilter(ModelId: "llmtr/demo"), 0, 10)).Total >= expected,
            $"{expected} usage rows of llmtr/demo");
        Assert.Equal(expected, page!.Total);
        return page.Rows;
    }
}
