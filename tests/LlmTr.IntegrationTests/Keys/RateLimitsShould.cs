using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text.Json;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenAI;
using OpenAI.Models;

namespace LlmTr.IntegrationTests.Keys;

public sealed class RateLimitsShould : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 1, 12, 0, 10, TimeSpan.Zero));
    private LlmTrHostFactory _host = null!;

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.InstanceAsync();
        _host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), services: services => services.AddSingleton<TimeProvider>(_clock));
        _ = _host.Services;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task PutTheLimitHeadersOnEveryResponseAndRefuseTheRequestOverTheLimit()
    {
        var (_, key) = await TestAccounts.CreateKeyAsync(_host, new NewApiKey("limited", RequestsPerMinute: 2));
        using var client = _host.CreateClient();

        var first = await ApiKeysShould.SendAsync(client, key.RawKey);
        var second = await ApiKeysShould.SendAsync(client, key.RawKey);
        var third = await ApiKeysShould.SendAsync(client, key.RawKey);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(("2", "1", "50s"), Headers(first));
        Assert.Equal(("2", "0", "50s"), Headers(second));
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal(("2", "0", "50s"), Headers(third));
        Assert.Equal(TimeSpan.FromSeconds(50), third.Headers.RetryAfter?.Delta);
        using var body = JsonDocument.Parse(await third.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("rate_limit_exceeded", error.GetProperty("type").GetString());
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Contains("2 requests per minute", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        _clock.Advance(TimeSpan.FromSeconds(50));
        var nextMinute = await ApiKeysShould.SendAsync(client, key.RawKey);
        Assert.Equal(HttpStatusCode.OK, nextMinute.StatusCode);
        Assert.Equal(("2", "1", "60s"), Headers(nextMinute));
    }

    [Fact]
    public async Task GiveAKeyWithoutItsOwnLimitTheDefault()
    {
        var (_, key) = await TestAccounts.CreateKeyAsync(_host);
        using var client = _host.CreateClient();

        var response = await ApiKeysShould.SendAsync(client, key.RawKey);

        Assert.Equal("600", response.Headers.GetValues("x-ratelimit-limit-requests").Single());
    }

    [Fact]
    public async Task SurfaceTheLimitAsTheOpenAiSdksOwn429()
    {
        var (_, key) = await TestAccounts.CreateKeyAsync(_host, new NewApiKey("one a minute", RequestsPerMinute: 1));
        var models = new OpenAIModelClient(new ApiKeyCredential(key.RawKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(_host.Server.BaseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(_host.CreateClient()),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });

        await models.GetModelsAsync();
        var failure = await Assert.ThrowsAsync<ClientResultException>(() => models.GetModelsAsync());

        Assert.Equal(429, failure.Status);
    }

    private static (string, string, string) Headers(HttpResponseMessage response) => (
        response.Headers.GetValues("x-ratelimit-limit-requests").Single(),
        response.Headers.GetValues("x-ratelimit-remaining-requests").Single(),
        response.Headers.GetValues("x-ratelimit-reset-requests").Single());
}
