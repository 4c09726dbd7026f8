using System.ClientModel;
using System.Net;
using LlmTr.IntegrationTests.Gateway;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenAI.Chat;

namespace LlmTr.IntegrationTests.Keys;

/// <summary>
/// Rotating a key replaces its secret, not its history: the new key starts with the old one's spend against its
/// limits, and during the grace period both keys draw on one rate-limit window.
/// </summary>
public sealed class RotationCarriesLimitsShould
{
    // Issue 18, finding 3: rotation gave the new key a fresh spend, so a key at its limit could be rotated past it.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CarryTheKeysSpendToTheNewKey(bool monthly)
    {
        await using var upstream = await FakeUpstream.StartAsync((_, context) =>
            Sse.JsonAsync(context, 200, FakeOpenAi.Completion("ok", prompt: 10_000, completion: 1_000))); // 0.035 on openai/gpt-4o
        await using var gateway = await GatewayHost.StartAsync([("openai", upstream, "/v1")]);
        var (owner, old) = await gateway.FundedKeyAsync(10m, monthly
            ? new NewApiKey("limited monthly", MonthlySpendLimit: 0.03m)
            : new NewApiKey("limited", SpendLimit: 0.03m));
        Assert.Equal(200, await StatusAsync(gateway, old.RawKey)); // spends 0.035, past the limit of 0.03
        Assert.Equal(402, await StatusAsync(gateway, old.RawKey));

        var rotated = (await gateway.Host.Services.GetRequiredService<IApiKeys>().RotateAsync(owner, old.Id, TimeSpan.FromHours(1)))!.Key!;
        var authenticator = gateway.Host.Services.GetRequiredService<IApiKeyAuthenticator>();
        await Poll.UntilAsync(() => Task.FromResult(authenticator.Authenticate(rotated.RawKey).Identity is not null), "the new key to be usable");

        Assert.Equal(402, await StatusAsync(gateway, rotated.RawKey));
        Assert.Equal(402, await StatusAsync(gateway, old.RawKey));
    }

    // Issue 18, finding 3: during the grace period the old and the new key each had a full rate limit.
    [Fact]
    public async Task ShareOneRateLimitWindowBetweenTheOldAndTheNewKeyDuringTheGracePeriod()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 12, 0, 10, TimeSpan.Zero));
        var server = await PostgresServer.InstanceAsync();
        await using var host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), services: services => services.AddSingleton<TimeProvider>(clock));
        var (owner, old) = await TestAccounts.CreateKeyAsync(host, new NewApiKey("limited", RequestsPerMinute: 2));
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await ApiKeysShould.SendAsync(client, old.RawKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ApiKeysShould.SendAsync(client, old.RawKey)).StatusCode);

        var rotated = (await host.Services.GetRequiredService<IApiKeys>().RotateAsync(owner, old.Id, TimeSpan.FromHours(1)))!.Key!;
        var authenticator = host.Services.GetRequiredService<IApiKeyAuthenticator>();
        await Poll.UntilAsync(() => Task.FromResult(authenticator.Authenticate(rotated.RawKey).Identity is not null), "the new key to be usable");

        Assert.Equal(HttpStatusCode.TooManyRequests, (await ApiKeysShould.SendAsync(client, rotated.RawKey)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ApiKeysShould.SendAsync(client, old.RawKey)).StatusCode);
        clock.Advance(TimeSpan.FromSeconds(50)); // the next minute: one window for both again
        Assert.Equal(HttpStatusCode.OK, (await ApiKeysShould.SendAsync(client, rotated.RawKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ApiKeysShould.SendAsync(client, old.RawKey)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ApiKeysShould.SendAsync(client, rotated.RawKey)).StatusCode);
    }

    private static async Task<int> StatusAsync(GatewayHost gateway, string rawKey)
    {
        try
        {
            await gateway.Chat(rawKey, "openai/gpt-4o").CompleteChatAsync([new UserChatMessage("hello")]);
            return 200;
        }
        catch (ClientResultException e)
        {
            return e.Status;
        }
    }
}
