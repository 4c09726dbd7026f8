using System.Net;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LlmTr.IntegrationTests.Keys;

public sealed class KeyLifetimeShould
{
    [Fact]
    public async Task StopAKeyAtItsExpiryOnAControlledClock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        var server = await PostgresServer.InstanceAsync();
        await using var host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), services: services => services.AddSingleton<TimeProvider>(clock));
        var (_, key) = await TestAccounts.CreateKeyAsync(host, new NewApiKey("short-lived", clock.GetUtcNow().AddHours(1)));
        using var client = host.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await ApiKeysShould.SendAsync(client, key.RawKey)).StatusCode);
        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(HttpStatusCode.OK, (await ApiKeysShould.SendAsync(client, key.RawKey)).StatusCode);
        clock.Advance(TimeSpan.FromMinutes(1));

        await ApiKeysShould.AssertAuthErrorAsync(await ApiKeysShould.SendAsync(client, key.RawKey), "This API key has expired.");
    }

    [Fact]
    public async Task ReachASecondHostWithinSecondsOfARevocation()
    {
        var server = await PostgresServer.InstanceAsync();
        var database = await server.CreateMigratedDatabaseAsync();
        await using var first = new LlmTrHostFactory(database);
        await using var second = new LlmTrHostFactory(database);
        var (owner, key) = await TestAccounts.CreateKeyAsync(first);
        var onSecond = second.Services.GetRequiredService<IApiKeyAuthenticator>();
        await Poll.UntilAsync(() => Task.FromResult(onSecond.Authenticate(key.RawKey).Identity is not null), "the second host to learn the new key", TimeSpan.FromSeconds(10));

        Assert.True(await first.Services.GetRequiredService<IApiKeys>().RevokeAsync(owner, key.Id));

        await Poll.UntilAsync(() => Task.FromResult(onSecond.Authenticate(key.RawKey).Failure == ApiKeyFailure.Unknown),
            "the second host to drop the revoked key", TimeSpan.FromSeconds(10));
    }
}
