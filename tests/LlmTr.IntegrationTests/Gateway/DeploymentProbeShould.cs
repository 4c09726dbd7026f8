using LlmTr.Modules.Gateway.Contracts;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Gateway;

/// <summary>
/// The admin console's connection test: one free call listing the provider's models with the deployment's address and
/// credential, told in words an admin can act on, never carrying what the provider said.
/// </summary>
public sealed class DeploymentProbeShould : IClassFixture<DeploymentProbeFixture>
{
    private readonly DeploymentProbeFixture _fixture;

    public DeploymentProbeShould(DeploymentProbeFixture fixture)
    {
        _fixture = fixture;
        fixture.Upstream.Received.Clear(); // each test reads what its own probe sent
    }

    private IDeploymentProbe Probe => _fixture.Gateway.Host.Services.GetRequiredService<IDeploymentProbe>();

    [Fact]
    public async Task SayTheConnectionWorksWhenTheProviderListsItsModels()
    {
        var result = await Probe.TestAsync("mistral/mistral-large-latest", "mistral");

        Assert.Equal((true, (int?)200), (result.Succeeded, result.Status));
        Assert.Contains("works", result.Message, StringComparison.Ordinal);
        var received = Assert.Single(_fixture.Upstream.Received);
        Assert.Equal(("GET", "/v1/models", $"Bearer {DeploymentProbeFixture.GoodKey}"), (received.Method, received.PathAndQuery, received.Header("Authorization")));
    }

    [Fact]
    public async Task SayTheCredentialIsRefusedWithoutRepeatingWhatTheProviderSaid()
    {
        var result = await Probe.TestAsync("deepseek/deepseek-v4-flash", "deepseek");

        Assert.Equal((false, (int?)401), (result.Succeeded, result.Status));
        Assert.Contains("refused the credential", result.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-refused", result.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Incorrect API key", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SayTheAddressIsWrongWhenNothingIsThere()
    {
        var result = await Probe.TestAsync("xai/grok-4", "xai");

        Assert.Equal((false, (int?)404), (result.Succeeded, result.Status));
        Assert.Contains("base URL", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AskAnthropicInItsOwnWay()
    {
        var result = await Probe.TestAsync("anthropic/claude-sonnet-4.5", "anthropic");

        Assert.True(result.Succeeded, result.Message);
        var received = Assert.Single(_fixture.Upstream.Received);
        Assert.Equal(("/v1/models", DeploymentProbeFixture.GoodKey, "2023-06-01"), (received.PathAndQuery, received.Header("x-api-key"), received.Header("anthropic-version")));
        Assert.Null(received.Header("Authorization"));
    }

    [Fact]
    public async Task SayTheProviderCannotBeReachedWhenNothingListens()
    {
        var result = await Probe.TestAsync("qwen/qwen3-max", "qwen");

        Assert.Equal((false, (int?)null), (result.Succeeded, result.Status));
        Assert.Contains("cannot be reached", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SayWhenThereIsNoSuchDeploymentOrNoCredential()
    {
        var unknown = await Probe.TestAsync("mistral/mistral-large-latest", "nowhere");
        var withoutCredential = await Probe.TestAsync("google/gemini-2.5-flash", "google");

        Assert.Contains("no deployment", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("no credential", withoutCredential.Message, StringComparison.Ordinal);
        Assert.Empty(_fixture.Upstream.Received);
    }
}

/// <summary>One host whose providers are one fake that lists its models for one key only, and one provider that nothing serves.</summary>
public sealed class DeploymentProbeFixture : IAsyncLifetime
{
    public const string GoodKey = "sk-good-credential-0123456789";

    public FakeUpstream Upstream { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await FakeUpstream.StartAsync((request, context) =>
        {
            var presented = request.Header("Authorization") ?? (request.Header("x-api-key") is { } key ? "Bearer " + key : null);
            return request.Method != "GET" || !request.PathAndQuery.EndsWith("/models", StringComparison.Ordinal) || request.PathAndQuery.StartsWith("/elsewhere", StringComparison.Ordinal)
                ? Sse.JsonAsync(context, 404, FakeOpenAi.Error("no such path", "invalid_request_error"))
                : presented == $"Bearer {GoodKey}"
                    ? Sse.JsonAsync(context, 200, FakeOpenAi.ModelList("upstream-model"))
                    : Sse.JsonAsync(context, 401, FakeOpenAi.Error($"Incorrect API key provided: {presented}", "invalid_request_error"));
        });
        Gateway = await GatewayHost.StartAsync([], new Dictionary<string, string?>
        {
            ["Providers:mistral:BaseUrl"] = new Uri(Upstream.BaseAddress, "/v1").ToString(),
            ["Providers:mistral:ApiKey"] = GoodKey,
            ["Providers:deepseek:BaseUrl"] = new Uri(Upstream.BaseAddress, "/v1").ToString(),
            ["Providers:deepseek:ApiKey"] = "sk-refused-credential-0123456789",
            ["Providers:xai:BaseUrl"] = new Uri(Upstream.BaseAddress, "/elsewhere/v1").ToString(),
            ["Providers:xai:ApiKey"] = GoodKey,
            ["Providers:anthropic:BaseUrl"] = Upstream.BaseAddress.ToString(),
            ["Providers:anthropic:ApiKey"] = GoodKey,
            ["Providers:qwen:BaseUrl"] = $"http://127.0.0.1:{FreePort.Next()}/v1",
            ["Providers:qwen:ApiKey"] = GoodKey,
        });
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
