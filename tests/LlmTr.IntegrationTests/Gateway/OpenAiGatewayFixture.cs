using LlmTr.Testing.Upstreams;

namespace LlmTr.IntegrationTests.Gateway;

/// <summary>One host whose OpenAI-compatible providers (OpenAI, MiMo, LLMTR's own) are one scripted fake.</summary>
public sealed class OpenAiGatewayFixture : IAsyncLifetime
{
    private static readonly string[] Providers = ["openai", "mimo", "llmtr", "deepseek"];

    public ScriptedUpstream Upstream { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await ScriptedUpstream.StartAsync();
        Gateway = await GatewayHost.StartAsync(
            Providers.Select(id => (id, Upstream.Server, "/v1")),
            new Dictionary<string, string?> { ["Providers:deepseek:Timeout"] = "00:00:01", ["Providers:deepseek:StreamIdleTimeout"] = "00:00:01" });
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
