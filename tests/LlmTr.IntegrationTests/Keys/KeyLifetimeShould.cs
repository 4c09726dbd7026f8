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

public sealed class KeyRotationShould
{
    [Fact]
    public async Task KeepTheOldKeyWorkingForItsGracePeriodOnly()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        var server = await PostgresServer.InstanceAsync();
        await using var host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), services: services => services.AddSingleton<TimeProvider>(clock));
        var (owner, old) = await TestAccounts.CreateKeyAsync(host, new NewApiKey("backend", RequestsPerMinute: 30));
        var keys = host.Services.GetRequiredService<IApiKeys>();
        var authenticator = host.Services.GetRequiredService<IApiKeyAuthenticator>();
        var stranger = await TestAccounts.CreateUserAsync(host);

        Assert.Null(await keys.RotateAsync(stranger, old.Id, TimeSpan.FromHours(1)));
        var rotated = (await keys.RotateAsync(owner, old.Id, TimeSpan.FromHours(1)))!.Key!;
        await Poll.UntilAsync(() => Task.FromResult(authenticator.Authenticate(rotated.RawKey).Identity is not null), "the new key to be usable");
        var graceEnds = clock.GetUtcNow().AddHours(1);
        await Poll.UntilAsync(() => Task.FromResult(authenticator.Authenticate(old.RawKey).Identity?.ExpiresAt == graceEnds), "the old key's end to reach the directory");

        Assert.NotEqual(old.RawKey, rotated.RawKey);
        Assert.Equal(30, authenticator.Authenticate(rotated.RawKey).Identity!.RequestsPerMinute);
        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.NotNull(authenticator.Authenticate(old.RawKey).Identity);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(ApiKeyFailure.Expired, authenticator.Authenticate(old.RawKey).Failure);
        Assert.NotNull(authenticator.Authenticate(rotated.RawKey).Identity);
        Assert.Equal(["backend", "backend"], (await keys.ListAsync(owner)).Select(k => k.Name));
    }

    [Fact]
    public async Task StopTheOldKeyAtOnceWithoutAGracePeriod()
    {
        var server = await PostgresServer.InstanceAsync();
        await using var host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync());
        var (owner, old) = await TestAccounts.CreateKeyAsync(host);
        var authenticator = host.Services.GetRequiredService<IApiKeyAuthenticator>();

        var rotated = (await host.Services.GetRequiredService<IApiKeys>().RotateAsync(owner, old.Id, TimeSpan.Zero))!.Key!;

        await Poll.UntilAsync(() => Task.FromResult(authenticator.Authenticate(old.RawKey).Failure == ApiKeyFailure.Expired), "the old key to stop");
        await Poll.UntilAsync(() => Task.FromResult(authenticator.Authenticate(rotated.RawKey).Identity is not null), "the new key to work");
    }
}

public sealed class LastUsedShould
{
    [Fact]
    public async Task BeWrittenInBatchesAfterTheKeyIsUsed()
    {
        var server = await PostgresServer.InstanceAsync();
        await using var host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(),
            new Dictionary<string, string?> { ["Keys:LastUsedFlushInterval"] = "00:00:00.100" });
        var (owner, key) = await TestAccounts.CreateKeyAsync(host);
        var keys = host.Services.GetRequiredService<IApiKeys>();
        Assert.Null(Assert.Single(await keys.ListAsync(owner)).LastUsedAt);
        using var client = host.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await ApiKeysShould.SendAsync(client, key.RawKey)).StatusCode);

        await Poll.UntilAsync(async () => (await keys.ListAsync(owner)).Single().LastUsedAt is not null, "the last-used time to be written");
        Assert.True((await keys.ListAsync(owner)).Single().LastUsedAt > DateTimeOffset.UtcNow.AddMinutes(-1));
    }
}
