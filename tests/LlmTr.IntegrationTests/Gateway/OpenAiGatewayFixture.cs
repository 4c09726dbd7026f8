using LlmTr.Testing;
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
            new Dictionary<string, string?>
            {
                // DeepSeek stands for a slow provider, Qwen for one that refuses connections.
                ["Providers:deepseek:Timeout"] = "00:00:01",
                ["Providers:deepseek:StreamIdleTimeout"] = "00:00:01",
                ["Providers:qwen:BaseUrl"] = $"http://127.0.0.1:{FreePort.Next()}/v1",
                ["Gateway:MaxRequestBytes"] = "65536",
            });

        // These classes test each provider's own answers and faults; fallbacks get their own tests (GatewayRoutingShould adds its own).
        await Gateway.WithoutFallbacksAsync();
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
