using LlmTr.IntegrationTests.Billing;
using LlmTr.IntegrationTests.Gateway;
using LlmTr.IntegrationTests.Organisations;
using LlmTr.Identity.Organisations;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Persistence.Shared;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;
using StackExchange.Redis;
using static LlmTr.IntegrationTests.Billing.ParallelSpend;

namespace LlmTr.IntegrationTests.ManyHosts;

/// <summary>
/// Paid requests spread over three hosts on one database and one Redis: their holds are counted together, so 200 at
/// once overshoot a balance or a key's limit by at most one request's maximum cost, as on one host (issue 23: each host
/// admitted paid requests until it heard of the others' usage).
/// </summary>
public sealed class SharedHoldsShould
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public async Task KeepTwoHundredParallelRequestsOverThreeHostsWithinOneRequestsMaximumCostOfTheBalance(int credit)
    {
        await using var hosts = await ThreeHostsAsync();
        var (account, key) = await hosts.FundedKeyAsync(credit);

        var statuses = await InFlightReserveShould.SendAtOnceAsync(i => hosts.All[i % 3].Chat(key, hosts.Model), hosts.Upstream, hosts.Release);

        var served = statuses.Count(s => s == 200);
        Assert.Equal(ParallelRequests, served + statuses.Count(s => s == 402));
        Assert.True(served >= Math.Max(1, (int)(credit / OneRequestMaximum)), $"Only {served} served: the holds refused what the balance covers.");
        var expected = credit - (served * RequestCost);
        Assert.True(expected > -OneRequestMaximum, $"{served} requests took the balance to {expected}, below zero by more than one request's maximum cost ({OneRequestMaximum}).");
        await Poll.UntilAsync(async () => await BillingTesting.StoredBalanceAsync(hosts.ConnectionString, account) == expected, "the usage of every host to be written");
        Assert.Equal(expected, await BillingTesting.LedgerSumAsync(hosts.ConnectionString, account));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task KeepTwoHundredParallelRequestsOverThreeHostsWithinOneRequestsMaximumCostOfAKeysSpendLimit(bool monthly)
    {
        await using var hosts = await ThreeHostsAsync();
        var (account, key) = await hosts.FundedKeyAsync(100m, monthly
            ? new NewApiKey("limited monthly", MonthlySpendLimit: 1.00m)
            : new NewApiKey("limited", SpendLimit: 1.00m));

        var statuses = await InFlightReserveShould.SendAtOnceAsync(i => hosts.All[i % 3].Chat(key, hosts.Model), hosts.Upstream, hosts.Release);

        var served = statuses.Count(s => s == 200);
        Assert.Equal(ParallelRequests, served + statuses.Count(s => s == 402));
        Assert.True(served >= 1);
        var spent = served * RequestCost;
        Assert.True(spent < 1.00m + OneRequestMaximum, $"The key spent {spent}, past its limit of 1.00 by more than one request's maximum cost ({OneRequestMaximum}).");
        await Poll.UntilAsync(async () => await BillingTesting.StoredBalanceAsync(hosts.ConnectionString, account) == 100m - spent, "the usage of every host to be written");
    }

    [Fact]
    public async Task KeepTwoHundredParallelRequestsOverThreeHostsWithinOneRequestsMaximumCostOfAMembersBudget()
    {
        const decimal Budget = 3.00m;
        await using var hosts = await ThreeHostsAsync();
        var first = hosts.All[0].Host;
        var owner = await TestAccounts.CreateUserAsync(first);
        var organisation = await OrganisationTesting.CreateOrganisationAsync(first, owner);
        var member = await OrganisationTesting.AddMemberAsync(first, organisation, owner, OrganisationRole.Member);
        await OrganisationTesting.FundAsync(first, organisation, 200m);
        var budget = new MemberBudget(Budget, null);
        Assert.Empty(await first.Services.GetRequiredService<IKeyPolicies>().SetBudgetAsync(organisation, member, budget, owner));
        var keys = new[]
        {
            await OrganisationTesting.MemberKeyAsync(first, organisation, member, new NewApiKey("first")),
            await OrganisationTesting.MemberKeyAsync(first, organisation, member, new NewApiKey("second")),
        };
        foreach (var gateway in hosts.All)
        {
            var authenticator = gateway.Host.Services.GetRequiredService<IApiKeyAuthenticator>();
            await Poll.UntilAsync(() => Task.FromResult(keys.All(k => authenticator.Authenticate(k.RawKey).Identity?.MemberBudget == budget)), "every host to know the budget");
            var balances = gateway.Host.Services.GetRequiredService<IBalanceQuery>();
            await Poll.UntilAsync(async () => (await balances.GetAsync(organisation)).Balance == 200m, "every host to read the credit");
        }

        // Each of the member's two keys on each of the three hosts.
        var statuses = await InFlightReserveShould.SendAtOnceAsync(i => hosts.All[i % 3].Chat(keys[i / 3 % 2].RawKey, hosts.Model), hosts.Upstream, hosts.Release);

        var served = statuses.Count(s => s == 200);
        Assert.Equal(ParallelRequests, served + statuses.Count(s => s == 402));
        Assert.True(served >= (int)(Budget / OneRequestMaximum), $"Only {served} requests were served within a budget of {Budget}.");
        var spent = served * RequestCost;
        Assert.True(spent <= Budget + OneRequestMaximum, $"The member spent {spent}, past the budget of {Budget} by more than one request's maximum cost ({OneRequestMaximum}).");
        await Poll.UntilAsync(async () => await BillingTesting.StoredBalanceAsync(hosts.ConnectionString, organisation) == 200m - spent, "the usage of every host to be written");
    }

    [Fact]
    public async Task CountALiveHostsHoldsAndForgetAHostThatStoppedHeartbeating()
    {
        var redis = await RedisServer.InstanceAsync();
        await using var hosts = await ThreeHostsAsync(redis);
        hosts.Release.SetResult(); // the provider answers at once
        var (account, key) = await hosts.FundedKeyAsync(5m);
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var state = (RedisKey)$"llmtr:credit:{{{account}}}";
        var members = (RedisKey)$"llmtr:credit:{{{account}}}:hosts";

        // Another host, alive, holds the whole balance: nothing is left for this one.
        await connection.GetDatabase().HashSetAsync(state, [new("t|other", Now() + 60_000), new("x|other", 5_000_000_000), new("n|other", 3)]);
        await connection.GetDatabase().SetAddAsync(members, "other");
        var refused = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => hosts.All[0].Chat(key, hosts.Model).CompleteChatAsync("hello"));
        Assert.Equal(402, refused.Status);
        Assert.Contains("still running", refused.Message, StringComparison.Ordinal);

        // The same host stops heartbeating (it died): its holds stop counting, and its figures are cleared.
        await connection.GetDatabase().HashSetAsync(state, "t|other", Now() - 1);
        await hosts.All[1].Chat(key, hosts.Model).CompleteChatAsync("hello");
        Assert.False(await connection.GetDatabase().HashExistsAsync(state, "x|other"));
        Assert.False(await connection.GetDatabase().SetContainsAsync(members, "other"));
    }

    [Fact]
    public async Task ServePaidRequestsWithThisHostsHoldsWhileRedisIsAwayAndShareThemAgainOnceItIsBack()
    {
        await using var redis = await RedisServer.StartOwnAsync();
        await using var hosts = await ThreeHostsAsync(redis);
        hosts.Release.SetResult();
        var (account, key) = await hosts.FundedKeyAsync(100m);

        await redis.StopAsync();
        foreach (var host in hosts.All)
        {
            await host.Chat(key, hosts.Model).CompleteChatAsync("hello"); // served, counted on its host
        }

        await redis.StartAsync();
        foreach (var host in hosts.All)
        {
            // A host tries Redis once a second after a failure, and finds it by itself on one of its requests.
            var counters = host.Host.Services.GetRequiredService<SharedCounters>();
            await Poll.UntilAsync(async () =>
            {
                await host.Chat(key, hosts.Model).CompleteChatAsync("hello");
                return counters.IsShared;
            }, "each host to hold in Redis again", TimeSpan.FromSeconds(60));
        }

        // Shared again: another host's holds count here once more.
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        await connection.GetDatabase().HashSetAsync($"llmtr:credit:{{{account}}}", [new("t|other", Now() + 60_000), new("x|other", 100_000_000_000)]);
        await connection.GetDatabase().SetAddAsync($"llmtr:credit:{{{account}}}:hosts", "other");
        var refused = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => hosts.All[2].Chat(key, hosts.Model).CompleteChatAsync("hello"));
        Assert.Equal(402, refused.Status);
    }

    /// <summary>Redis's clock and this machine's are one here.</summary>
    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static async Task<Hosts> ThreeHostsAsync(RedisServer? redis = null)
    {
        redis ??= await RedisServer.InstanceAsync();
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.ConnectionString, ["Keys:DefaultRequestsPerMinute"] = "1000" };
        var first = await InFlightReserveShould.SlowProviderAsync(settings);
        var all = new List<GatewayHost> { first.Gateway };
        for (var i = 0; i < 2; i++)
        {
            all.Add(await GatewayHost.StartAsync([("openai", first.Upstream, "/v1")], settings, connectionString: first.Gateway.Host.ConnectionString));
        }

        foreach (var gateway in all)
        {
            var catalog = gateway.Host.Services.GetRequiredService<IModelCatalog>();
            await Poll.UntilAsync(() => Task.FromResult(catalog.Current.FindModel(first.Model)?.PriceHistory.Count == 2), "every host to know the model and its prices");
            var counters = gateway.Host.Services.GetRequiredService<SharedCounters>();
            await Poll.UntilAsync(() => Task.FromResult(counters.Database is not null), "every host to reach Redis");
        }

        return new Hosts(first, all);
    }

    private sealed class Hosts(InFlightReserveShould.SlowProvider first, List<GatewayHost> all) : IAsyncDisposable
    {
        public List<GatewayHost> All => all;

        public string Model => first.Model;

        public Testing.Upstreams.FakeUpstream Upstream => first.Upstream;

        public TaskCompletionSource Release => first.Release;

        public string ConnectionString => first.Gateway.Host.ConnectionString;

        /// <summary>A funded key every host knows, with the balance every host has read.</summary>
        public async Task<(string Account, string Key)> FundedKeyAsync(decimal credit, NewApiKey? key = null)
        {
            var (account, created) = await first.Gateway.FundedKeyAsync(credit, key);
            foreach (var gateway in all)
            {
                var balances = gateway.Host.Services.GetRequiredService<IBalanceQuery>();
                await Poll.UntilAsync(async () => (await balances.GetAsync(account)).Balance == credit, "every host to read the credit");
                using var client = gateway.Host.CreateClient();
                await Poll.UntilAsync(async () => (await Keys.ApiKeysShould.SendAsync(client, created.RawKey)).StatusCode != System.Net.HttpStatusCode.Unauthorized,
                    "every host to know the key");
            }

            return (account, created.RawKey);
        }

        public async ValueTask DisposeAsync()
        {
            first.Release.TrySetResult();
            foreach (var gateway in all.Skip(1))
            {
                await gateway.DisposeAsync();
            }

            await first.DisposeAsync();
        }
    }
}
