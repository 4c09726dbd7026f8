using LlmTr.IntegrationTests.Gateway;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Clients;

/// <summary>
/// The pinned Codex CLI (<c>codex exec</c>, non-interactive) against a gateway listening on a real port, configured as
/// a custom provider speaking the Responses API, with LLMTR's built-in demo model: its whole request (a long developer
/// prompt, a dozen tools of several kinds, streaming) is served, and its agent loop runs to the end.
/// </summary>
public sealed class CodexShould : IAsyncLifetime
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(45);
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync() =>
        _gateway = await GatewayHost.StartAsync([], new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" }, kestrel: true);

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

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

    /// <summary>
    /// Runs <c>codex exec</c> with a configuration of its own: the gateway as provider <c>llmtr</c> (Responses API,
    /// key from LLMTR_API_KEY, no retries so a refusal fails fast) and the demo model.
    /// </summary>
    private async Task<RealClients.Result> CodexAsync(string apiKey, string prompt)
    {
        var codexHome = Directory.CreateTempSubdirectory("llmtr-codex-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(codexHome.FullName, "config.toml"), $"""
                model = "llmtr/demo"
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
