using LlmTr.IntegrationTests.Gateway;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;

namespace LlmTr.IntegrationTests.Reliability;

/// <summary>
/// One host with short provider timeouts and three misbehaving providers: OpenAI is an HTTP fake each test scripts,
/// Mistral a raw TCP fake that can reset the connection anywhere, xAI an address nothing listens on.
/// </summary>
public sealed class UpstreamFaultsFixture : IAsyncLifetime
{
    /// <summary>Both the time allowed for a provider's headers and the longest silence inside a stream.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    public ScriptedUpstream Http { get; private set; } = null!;

    public RawUpstream Raw { get; private set; } = null!;

    public int RefusingPort { get; } = FreePort.Next();

    public GatewayHost Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Http = await ScriptedUpstream.StartAsync();
        Raw = RawUpstream.Start();
        Gateway = await GatewayHost.StartAsync(
            [("openai", Http.Server, "/v1")],
            new Dictionary<string, string?>
            {
                ["Providers:mistral:BaseUrl"] = new Uri(Raw.BaseAddress, "/v1").ToString(),
                ["Providers:mistral:ApiKey"] = GatewayHost.UpstreamKey("mistral"),
                ["Providers:xai:BaseUrl"] = $"http://127.0.0.1:{RefusingPort}/v1",
                ["Providers:xai:ApiKey"] = GatewayHost.UpstreamKey("xai"),
                ["Gateway:DefaultTimeout"] = Timeout.ToString(),
                ["Gateway:DefaultStreamIdleTimeout"] = Timeout.ToString(),
            });
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Http.DisposeAsync();
        await Raw.DisposeAsync();
    }
}
