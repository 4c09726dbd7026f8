using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Diagnostics;
using LlmTr.IntegrationTests.Billing;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using OpenAI;
using OpenAI.Chat;

namespace LlmTr.IntegrationTests.Reliability;

/// <summary>
/// The real host as a process of its own, stopped in the middle of traffic: killed outright (SIGKILL) or asked to stop
/// (SIGTERM). Its usage must never be counted twice, a graceful stop must write all of it, and a kill may lose only
/// the documented window (<c>Billing:UsageFlushInterval</c> plus one batch write).
/// </summary>
public sealed class CrashSafetyShould(CrashSafetyFixture fixture) : IClassFixture<CrashSafetyFixture>
{
    /// <summary>The crash-loss window: the flush interval configured below plus an allowance for one batch write on a busy machine.</summary>
    private static readonly TimeSpan LossWindow = CrashSafetyFixture.FlushInterval + TimeSpan.FromSeconds(1);

    [Fact]
    public async Task LoseAtMostTheFlushWindowWhenKilledAndNeverCountARequestTwice()
    {
        Traffic.Answer[] answered;
        long killedAt;
        await using (var first = await fixture.StartHostAsync())
        {
            await using var traffic = Traffic.Start(first.BaseAddress, fixture.RawKey);
            // Long enough that many answers lie well before the loss window.
            await Poll.UntilAsync(() => Task.FromResult(traffic.Answered.Count >= 150 && Stopwatch.GetElapsedTime(traffic.Answered.Min(a => a.At)) > 2 * LossWindow),
                "traffic to be served", TimeSpan.FromSeconds(60));
            killedAt = Stopwatch.GetTimestamp();
            first.Kill();
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
            answered = await traffic.StopAsync();
        }

        // Started again, the host serves and writes as before.
        await using (var second = await fixture.StartHostAsync())
        {
            await using var traffic = Traffic.Start(second.BaseAddress, fixture.RawKey);
            await Poll.UntilAsync(() => Task.FromResult(traffic.Answered.Count >= 20), "traffic after the restart", TimeSpan.FromSeconds(60));
            var after = await traffic.StopAsync();
            await Poll.UntilAsync(async () => (await fixture.WrittenAsync(after.Select(a => a.RequestId))).Count == after.Length, "the usage after the restart to be written");
            second.Terminate();
            await second.WaitForExitAsync(TimeSpan.FromSeconds(60));
        }

        var written = await fixture.WrittenAsync(answered.Select(a => a.RequestId));
        var lost = answered.Where(a => !written.Contains(a.RequestId)).ToList();
        Assert.All(lost, a => Assert.True(Stopwatch.GetElapsedTime(a.At, killedAt) < LossWindow,
            $"{a.RequestId} was answered {Stopwatch.GetElapsedTime(a.At, killedAt).TotalMilliseconds:0} ms before the kill and its usage was lost."));
        Assert.Contains(answered, a => Stopwatch.GetElapsedTime(a.At, killedAt) > LossWindow && written.Contains(a.RequestId));
        await fixture.AssertBooksBalanceAsync();
    }

    [Fact]
    public async Task WriteTheUsageOfEveryAnsweredRequestWhenStoppedGracefully()
    {
        Traffic.Answer[] answered;
        await using (var host = await fixture.StartHostAsync())
        {
            await using var traffic = Traffic.Start(host.BaseAddress, fixture.RawKey);
            await Poll.UntilAsync(() => Task.FromResult(traffic.Answered.Count >= 150), "traffic to be served", TimeSpan.FromSeconds(60));
            host.Terminate();
            Assert.Equal(0, await host.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            answered = await traffic.StopAsync();
        }

        var written = await fixture.WrittenAsync(answered.Select(a => a.RequestId));
        Assert.All(answered, a => Assert.Contains(a.RequestId, written));
        await fixture.AssertBooksBalanceAsync();
    }

    /// <summary>Parallel chat requests through the OpenAI SDK until stopped, each answer noted with its request id and when it arrived.</summary>
    private sealed class Traffic : IAsyncDisposable
    {
        private const int Parallel = 6;
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _loops = [];

        public sealed record Answer(string RequestId, long At);

        public ConcurrentBag<Answer> Answered { get; } = [];

        public static Traffic Start(Uri host, string rawKey)
        {
            var traffic = new Traffic();
            var chat = new ChatClient("openai/gpt-4o", new ApiKeyCredential(rawKey), new OpenAIClientOptions
            {
                Endpoint = new Uri(host, "/v1"),
                RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                NetworkTimeout = TimeSpan.FromSeconds(20),
            });
            for (var i = 0; i < Parallel; i++)
            {
                traffic._loops.Add(Task.Run(() => traffic.RunAsync(chat)));
            }

            return traffic;
        }

        public async Task<Answer[]> StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_loops);
            return [.. Answered];
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _stop.Dispose();
        }

        private async Task RunAsync(ChatClient chat)
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    var result = await chat.CompleteChatAsync([new UserChatMessage("hello")], cancellationToken: _stop.Token);
                    if (result.GetRawResponse().Headers.TryGetValue("x-request-id", out var id))
                    {
                        Answered.Add(new Answer(id!, Stopwatch.GetTimestamp()));
                    }
                }
                catch (Exception e) when (e is ClientResultException or HttpRequestException or OperationCanceledException or IOException or TimeoutException)
                {
                    // The host is gone or going: nothing was answered.
                    if (!_stop.IsCancellationRequested)
                    {
                        await Task.Yield();
                    }
                }
            }
        }
    }
}

/// <summary>One database with a funded user and key made through the host's command line, and a fake provider.</summary>
public sealed class CrashSafetyFixture : IAsyncLifetime
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(200);

    public const decimal Credit = 1_000m;

    private FakeUpstream _upstream = null!;

    public string Database { get; private set; } = "";

    public string AccountEmail { get; } = $"crash-{Guid.NewGuid():N}@llmtr.test";

    public string RawKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync((_, context) => Sse.JsonAsync(context, 200, FakeOpenAi.Completion("ok", prompt: 1_000, completion: 100)));
        Database = await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();
        Ensure(await HostProcess.RunAsync(Database, "users", "create", "--email", AccountEmail, "--password", TestAccounts.Password));
        var key = HostProcess.RunAsync(Database, "keys", "create", "--email", AccountEmail, "--name", "crash test");
        var credit = HostProcess.RunAsync(Database, "credits", "grant", "--email", AccountEmail, "--amount", Credit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        RawKey = Ensure(await key).StandardOutput.Trim();
        Ensure(await credit);
    }

    public Task<HostServer> StartHostAsync() => HostServer.StartAsync(Database, new Dictionary<string, string>
    {
        ["Demo__Enabled"] = "true", // the seed catalog, with openai/gpt-4o at its seed prices
        ["Demo__AdminPassword"] = "Demo-Admin-Pass-1",
        ["Providers__openai__BaseUrl"] = new Uri(_upstream.BaseAddress, "/v1").ToString(),
        ["Providers__openai__ApiKey"] = "sk-openai-crash-test-upstream-secret",
        ["Billing__UsageFlushInterval"] = FlushInterval.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        ["Keys__DefaultRequestsPerMinute"] = "100000",
    });

    /// <summary>Which of these requests have a usage row.</summary>
    public async Task<HashSet<string>> WrittenAsync(IEnumerable<string> requestIds) =>
        [.. await Sql.RowsAsync(Database, """SELECT "RequestId" FROM billing.usage_records WHERE "RequestId" = ANY(@ids)""", ("ids", requestIds.ToArray()))];

    /// <summary>No request has two rows, and the account's balance is its ledger's sum: the credit less every written row's cost.</summary>
    public async Task AssertBooksBalanceAsync()
    {
        Assert.Equal(0, await Sql.CountAsync(Database, """SELECT count(*) FROM (SELECT "RequestId" FROM billing.usage_records GROUP BY 1 HAVING count(*) > 1) AS twice"""));
        var account = (await Sql.RowsAsync(Database, """SELECT "Id" FROM identity."AspNetUsers" WHERE "Email" = @e""", ("e", AccountEmail))).Single();
        var stored = await BillingTesting.StoredBalanceAsync(Database, account);
        Assert.Equal(await BillingTesting.LedgerSumAsync(Database, account), stored);
        Assert.Equal(Credit - await BillingTesting.UsageCostAsync(Database, account), stored);
    }

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    private static HostProcess.Result Ensure(HostProcess.Result result)
    {
        Assert.True(result.ExitCode == 0, result.StandardError);
        return result;
    }
}
