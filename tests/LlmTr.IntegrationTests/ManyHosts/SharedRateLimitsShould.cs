using System.Diagnostics.Metrics;
using System.Net;
using LlmTr.IntegrationTests.Keys;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Persistence.Shared;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LlmTr.IntegrationTests.ManyHosts;

/// <summary>
/// A key's requests-per-minute limit behind three hosts on one database and one Redis: one count for all of them
/// (issue 23: behind N hosts a 600-RPM key served N × 600), per host while Redis is away, one count again once it is back.
/// </summary>
public sealed class SharedRateLimitsShould
{
    // Mid-minute, so a whole run falls in one window: with fixed windows the documented bound is the limit itself.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 1, 12, 0, 5, TimeSpan.Zero));

    [Fact]
    public async Task LetA600RpmKeyServeAtMost600OfTwoThousandRequestsSpreadOverThreeHosts()
    {
        var redis = await RedisServer.InstanceAsync();
        await using var hosts = await ThreeHostsAsync(redis);
        var key = await hosts.KeyAsync(600);

        var statuses = await hosts.SendAsync(key, 2_000);

        Assert.Equal(600, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(1_400, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task CountPerHostWhileRedisIsAwayAndExactlyAgainOnceItIsBack()
    {
        await using var redis = await RedisServer.StartOwnAsync();
        await using var hosts = await ThreeHostsAsync(redis);
        var key = await hosts.KeyAsync(100);
        var fallbacks = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument is { Meter.Name: SharedCounters.MeterName, Name: "llmtr.shared_counters.fallbacks" })
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref fallbacks, value));
        listener.Start();

        var shared = await hosts.SendAsync(key, 300);
        Assert.Equal(100, shared.Count(s => s == HttpStatusCode.OK));

        // Redis goes away: nothing is refused for it, and each host counts the key's limit on its own.
        await redis.StopAsync();
        _clock.Advance(TimeSpan.FromMinutes(1));
        var alone = await hosts.SendAsync(key, 600);
        Assert.All(alone, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"Answered {s} while Redis was away."));
        Assert.Equal(300, alone.Count(s => s == HttpStatusCode.OK)); // the documented bound: the limit per host
        Assert.True(Interlocked.Read(ref fallbacks) > 0, "No fallback was counted in llmtr.shared_counters.fallbacks.");
        foreach (var host in hosts.All)
        {
            Assert.Contains(host.Logs.Entries, e => e.Contains("Redis is unreachable", StringComparison.Ordinal));
        }

        // Back (empty, as a restarted Redis without persistence is): the hosts find it by themselves.
        await redis.StartAsync();
        await hosts.SharedAgainAsync(key);

        _clock.Advance(TimeSpan.FromMinutes(1));
        var again = await hosts.SendAsync(key, 300);
        Assert.Equal(100, again.Count(s => s == HttpStatusCode.OK));
    }

    private async Task<Hosts> ThreeHostsAsync(RedisServer redis)
    {
        var database = await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.ConnectionString };
        var hosts = Enumerable.Range(0, 3).Select(_ => new LlmTrHostFactory(database, settings, services => services.AddSingleton<TimeProvider>(_clock))).ToList();
        foreach (var host in hosts)
        {
            _ = host.Services;
        }

        return new Hosts(hosts, _clock);
    }

    private sealed class Hosts(List<LlmTrHostFactory> hosts, FakeTimeProvider clock) : IAsyncDisposable
    {
        private readonly List<HttpClient> _clients = hosts.Select(h => h.CreateClient()).ToList();

        public List<LlmTrHostFactory> All => hosts;

        /// <summary>A key with this limit, known to every host (found out in a minute of its own, before the test's).</summary>
        public async Task<string> KeyAsync(int requestsPerMinute)
        {
            var (_, key) = await TestAccounts.CreateKeyAsync(hosts[0], new NewApiKey("shared limit", RequestsPerMinute: requestsPerMinute));
            foreach (var client in _clients)
            {
                await Poll.UntilAsync(async () => (await ApiKeysShould.SendAsync(client, key.RawKey)).StatusCode != HttpStatusCode.Unauthorized,
                    "every host to know the new key");
            }

            clock.Advance(TimeSpan.FromMinutes(1));
            return key.RawKey;
        }

        /// <summary>
        /// Sends requests (in the minute that is ending) until every host has counted one in Redis again: a host tries
        /// Redis once a second after a failure, and finds it by itself.
        /// </summary>
        public async Task SharedAgainAsync(string key)
        {
            for (var i = 0; i < hosts.Count; i++)
            {
                var counters = hosts[i].Services.GetRequiredService<SharedCounters>();
                var client = _clients[i];
                await Poll.UntilAsync(async () =>
                {
                    using var response = await ApiKeysShould.SendAsync(client, key);
                    return counters.IsShared;
                }, "each host to count in Redis again", TimeSpan.FromSeconds(60));
            }
        }

        /// <summary>Sends this many requests, 16 at a time, each to the next host in turn; their statuses.</summary>
        public async Task<List<HttpStatusCode>> SendAsync(string key, int count)
        {
            var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            {
                using var response = await ApiKeysShould.SendAsync(_clients[i % _clients.Count], key);
                statuses.Add(response.StatusCode);
            });
            return [.. statuses];
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }

            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }
}
