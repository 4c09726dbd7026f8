using System.Globalization;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Ledger;
using LlmTr.Modules.Billing.Usage;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LlmTr.IntegrationTests.Billing;

/// <summary>How the usage writer puts rows into PostgreSQL (binary COPY, then one batch of statements) and what it hands back to memory.</summary>
public sealed class UsageBatchWritingShould
{
    private static readonly DateTimeOffset LongAgo = DateTimeOffset.UtcNow.AddDays(-30);

    /// <summary>Countries as no catalog has them: a comma, quotes, a non-ASCII letter and an empty one, each kept as one element.</summary>
    private static readonly string[] OddCountries = ["T,R", "\"x\"", "Ü", ""];

    [Fact]
    public async Task WriteOverAThousandRowsOfSeveralAccountsAndKeysInOneBatchAsRecorded()
    {
        var database = await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();
        var host = new LlmTrHostFactory(database, new Dictionary<string, string?>
        {
            ["Billing:UsageFlushInterval"] = "00:10:00",
            ["Billing:UsageBatchSize"] = "5000",
        });
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        var accounts = new List<string>();
        var keys = new Dictionary<string, Guid[]>(StringComparer.Ordinal);
        var costs = new Dictionary<Guid, decimal>();
        string first;
        try
        {
            var model = await BillingTesting.PricedModelAsync(host,
                (PriceUnit.InputTokensPerMillion, 1.25m, LongAgo), (PriceUnit.OutputTokensPerMillion, 5m, LongAgo));
            for (var i = 0; i < 3; i++)
            {
                var account = await TestAccounts.CreateUserAsync(host);
                await BillingTesting.GrantAsync(host, account, 100m);
                accounts.Add(account);
                keys[account] = [Guid.NewGuid(), Guid.NewGuid()];
            }

            var recorder = host.Services.GetRequiredService<IUsageRecorder>();
            first = recorder.Record(BillingTesting.Report(accounts[0], keys[accounts[0]][0], model, 10, 10)).Cost.ToString(CultureInfo.InvariantCulture);
            await Poll.UntilAsync(async () => await Sql.CountAsync(database, "SELECT count(*) FROM billing.usage_records") == 1, "the first row (the writer then waits ten minutes)");
            costs[keys[accounts[0]][0]] = decimal.Parse(first, CultureInfo.InvariantCulture);

            var startedAt = new DateTimeOffset(DateTimeOffset.UtcNow.Year, DateTimeOffset.UtcNow.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(17).AddMilliseconds(123);
            for (var i = 0; i < 1_200; i++)
            {
                var account = accounts[i % accounts.Count];
                var key = keys[account][i / accounts.Count % 2];
                var report = BillingTesting.Report(account, key, model, prompt: 1_000 + i, completion: i % 7 == 0 ? 0 : 20 + i, startedAt.AddSeconds(i)) with
                {
                    Latency = TimeSpan.FromMilliseconds(i),
                    Outcome = (UsageOutcome)(i % 3),
                    HttpStatus = i % 3 == 1 ? 502 : 200,
                    Counts = new UsageCounts(1_000 + i, i % 7 == 0 ? 0 : 20 + i, CachedPromptTokens: i % 5, ReasoningTokens: i % 11, Images: i % 2, AudioMinutes: i % 4 * 0.25m),
                    ProcessedIn = i % 4 == 0 ? [] : ["TR", "DE"],
                    Streamed = i % 2 == 0,
                };
                var cost = recorder.Record(report).Cost;
                costs[key] = costs.GetValueOrDefault(key) + cost;
                expected[report.RequestId] = string.Join('|',
                    report.RequestId, account, key, model, report.StartedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
                    i, report.Outcome, report.HttpStatus, report.Counts.PromptTokens, report.Counts.CompletionTokens, report.Counts.CachedPromptTokens,
                    report.Counts.ReasoningTokens, report.Counts.Images, report.Counts.AudioMinutes.ToString("0.000000", CultureInfo.InvariantCulture),
                    cost.ToString("0.00000000000000", CultureInfo.InvariantCulture), "USD", string.Join(',', report.ProcessedIn), report.Streamed ? "t" : "f");
            }

            Assert.Equal(1, await Sql.CountAsync(database, "SELECT count(*) FROM billing.usage_records"));
        }
        finally
        {
            await host.DisposeAsync(); // the writer takes everything queued in one batch of up to 5,000 rows
        }

        var rows = await Sql.RowsAsync(database, """
            SELECT concat_ws('|', "RequestId", "AccountId", "KeyId", "ModelId", to_char("StartedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
              "LatencyMs", "Outcome", "HttpStatus", "PromptTokens", "CompletionTokens", "CachedPromptTokens", "ReasoningTokens", "Images",
              "AudioMinutes", "Cost", "Currency", array_to_string("ProcessedIn", ','), "Streamed")
            FROM billing.usage_records WHERE "RequestId" = ANY(@ids)
            """, ("ids", expected.Keys.ToArray()));
        Assert.Equal(expected.Values.Order(StringComparer.Ordinal), rows.Order(StringComparer.Ordinal));
        foreach (var account in accounts)
        {
            // One ledger entry covers all 400 rows of the account: they were written together.
            Assert.Equal(1, await Sql.CountAsync(database, """SELECT count(*) FROM billing.ledger_entries WHERE "AccountId" = @a AND "RequestCount" = 400""", ("a", account)));
            var stored = await BillingTesting.StoredBalanceAsync(database, account);
            Assert.Equal(await BillingTesting.LedgerSumAsync(database, account), stored);
            Assert.Equal(100m - await BillingTesting.UsageCostAsync(database, account), stored);
            foreach (var key in keys[account])
            {
                Assert.Equal(costs[key], await BillingTesting.DecimalAsync(database, """SELECT "Total" FROM billing.key_spend WHERE "KeyId" = @k""", ("k", key)));
                Assert.Equal(costs[key], await BillingTesting.DecimalAsync(database, """SELECT "MonthAmount" FROM billing.key_spend WHERE "KeyId" = @k""", ("k", key)));
            }
        }
    }

    [Fact]
    public async Task KeepOddTextAndMissingValuesOfAReportExactly()
    {
        var server = await PostgresServer.InstanceAsync();
        await using var host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), BillingTesting.FastUsageWrites());
        var model = await BillingTesting.PricedModelAsync(host, (PriceUnit.Request, 0.5m, LongAgo));
        var recorder = host.Services.GetRequiredService<IUsageRecorder>();
        var key = Guid.NewGuid();
        var account = "hesap-çğıöşü-🙂-" + Guid.NewGuid().ToString("N"); // no such user: the account is made by its first debit
        var longId = "istek-ğ-" + new string('ş', 130);
        var emoji = new string('x', 199) + "🚀"; // the 200-character cut would fall inside the emoji
        var reports = new[]
        {
            BillingTesting.Report(account, key, "模型/テスト-ü-🚀", 10, 10, requestId: "req-unicode-" + Guid.NewGuid().ToString("N")) with { ProcessedIn = null! },
            BillingTesting.Report(account, key, emoji, 10, 10, requestId: "req-emoji-" + Guid.NewGuid().ToString("N")) with { ProcessedIn = OddCountries },
            BillingTesting.Report(account, key, "a\"b\\c,d'e\tf{g}\nh", 10, 10, requestId: "req-quotes-" + Guid.NewGuid().ToString("N")),
            BillingTesting.Report(account, key, null!, 0, 0) with { RequestId = null! },
            BillingTesting.Report(account, key, model, 0, 0, requestId: longId),
        };

        foreach (var report in reports)
        {
            recorder.Record(report);
        }

        var connection = host.ConnectionString;
        await Poll.UntilAsync(async () => await Sql.CountAsync(connection, """SELECT count(*) FROM billing.usage_records WHERE "AccountId" = @a""", ("a", account)) == 5, "the five rows");
        Assert.Equal(1, await Sql.CountAsync(connection, """SELECT count(*) FROM billing.usage_records WHERE "RequestId" = @r AND "ModelId" = '模型/テスト-ü-🚀' AND "ProcessedIn" = '{}' AND "Cost" = 0""", ("r", reports[0].RequestId)));
        Assert.Equal(1, await Sql.CountAsync(connection, """SELECT count(*) FROM billing.usage_records WHERE "RequestId" = @r AND "ModelId" = @m AND "ProcessedIn" = @p""",
            ("r", reports[1].RequestId), ("m", new string('x', 199)), ("p", OddCountries)));
        Assert.Equal(1, await Sql.CountAsync(connection, """SELECT count(*) FROM billing.usage_records WHERE "RequestId" = @r AND "ModelId" = @m AND "ProcessedIn" = '{TR}'""",
            ("r", reports[2].RequestId), ("m", "a\"b\\c,d'e\tf{g}\nh")));
        Assert.Equal(1, await Sql.CountAsync(connection, """SELECT count(*) FROM billing.usage_records WHERE "AccountId" = @a AND "RequestId" LIKE 'unidentified-%' AND "ModelId" = 'unknown'""", ("a", account)));
        Assert.Equal(1, await Sql.CountAsync(connection, """SELECT count(*) FROM billing.usage_records WHERE "RequestId" = @r AND "Cost" = 0.5""", ("r", longId[..128])));

        // The account's first debit made it, and the notice named it whole (multi-byte characters and all).
        Assert.Equal(-0.5m, await BillingTesting.StoredBalanceAsync(connection, account));
        var balances = host.Services.GetRequiredService<IBalanceQuery>();
        await Poll.UntilAsync(async () => (await balances.GetAsync(account)).Balance == -0.5m, "the debit to reach memory");
        Assert.Equal(await BillingTesting.DecimalAsync(connection, """SELECT "Version" FROM billing.accounts WHERE "AccountId" = @a""", ("a", account)),
            host.Services.GetRequiredService<AccountCredits>().VersionOf(account));
    }

    [Fact]
    public async Task WriteEachRowOnceWhenABatchIsRetriedAfterItsCommitWentThroughUnseen()
    {
        var database = await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();
        await using var cut = new DatabaseCut(database);
        await using var host = new LlmTrHostFactory(cut.ConnectionString, BillingTesting.FastUsageWrites(new() { ["Billing:UsageRetryMaxDelay"] = "00:00:00.100" }));
        var model = await BillingTesting.PricedModelAsync(host, (PriceUnit.Request, 0.01m, LongAgo));
        var account = await TestAccounts.CreateUserAsync(host);
        await BillingTesting.GrantAsync(host, account, 10m);
        var balances = host.Services.GetRequiredService<IBalanceQuery>();
        await Poll.UntilAsync(async () => (await balances.GetAsync(account)).Balance == 10m, "the credit to reach memory");
        var keys = new[] { Guid.NewGuid(), Guid.NewGuid() };
        var recorder = host.Services.GetRequiredService<IUsageRecorder>();

        cut.LoseNextCommitAfterCopy();
        var reports = Enumerable.Range(0, 60).Select(i => BillingTesting.Report(account, keys[i % 2], model, 0, 0)).ToList();
        Parallel.ForEach(reports, r => recorder.Record(r));

        await Poll.UntilAsync(() => Task.FromResult(host.Services.GetRequiredService<UsageWriter>().Reserved == 0), "every row to be written and settled");
        Assert.Equal(1, cut.CommitsLost); // the fault happened: a batch was committed, and its writer was told nothing
        Assert.Contains(host.Logs.Entries, e => e.Contains("retrying", StringComparison.Ordinal));
        Assert.Equal(60, await Sql.CountAsync(database, """SELECT count(*) FROM billing.usage_records WHERE "AccountId" = @a""", ("a", account)));
        Assert.Equal(60, await Sql.CountAsync(database, """SELECT coalesce(sum("RequestCount"), 0) FROM billing.ledger_entries WHERE "AccountId" = @a AND "Kind" = 'UsageDebit'""", ("a", account)));
        Assert.Equal(9.4m, await BillingTesting.StoredBalanceAsync(database, account));
        Assert.Equal(9.4m, await BillingTesting.LedgerSumAsync(database, account));
        foreach (var key in keys)
        {
            Assert.Equal(0.3m, await BillingTesting.DecimalAsync(database, """SELECT "Total" FROM billing.key_spend WHERE "KeyId" = @k""", ("k", key)));
        }

        await Poll.UntilAsync(async () => (await balances.GetAsync(account)).Balance == 9.4m, "memory to hold the balance once debited");
    }

    [Fact]
    public async Task WriteEachRowOnceWhenTheDatabaseRefusesABatchForAMoment()
    {
        var server = await PostgresServer.InstanceAsync();
        var database = await server.CreateMigratedDatabaseAsync();
        await Sql.ExecuteAsync(database, """
            CREATE SEQUENCE public.key_spend_faults;
            CREATE FUNCTION public.refuse_first_key_spend() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF nextval('public.key_spend_faults') = 1 THEN
                RAISE EXCEPTION 'injected conflict' USING ERRCODE = '40001';
              END IF;
              RETURN NEW;
            END $$;
            CREATE TRIGGER refuse_first_key_spend BEFORE INSERT ON billing.key_spend FOR EACH ROW EXECUTE FUNCTION public.refuse_first_key_spend();
            """);
        await using var host = new LlmTrHostFactory(database, BillingTesting.FastUsageWrites(new() { ["Billing:UsageRetryMaxDelay"] = "00:00:00.100" }));
        var model = await BillingTesting.PricedModelAsync(host, (PriceUnit.Request, 0.25m, LongAgo));
        var account = await TestAccounts.CreateUserAsync(host);
        await BillingTesting.GrantAsync(host, account, 10m);
        var key = Guid.NewGuid();
        var recorder = host.Services.GetRequiredService<IUsageRecorder>();

        for (var i = 0; i < 8; i++)
        {
            recorder.Record(BillingTesting.Report(account, key, model, 0, 0));
        }

        await Poll.UntilAsync(() => Task.FromResult(host.Services.GetRequiredService<UsageWriter>().Reserved == 0), "every row to be written");
        Assert.True(await BillingTesting.DecimalAsync(database, "SELECT last_value FROM public.key_spend_faults") > 1); // refused once, then taken
        Assert.Equal(8, await Sql.CountAsync(database, """SELECT count(*) FROM billing.usage_records WHERE "AccountId" = @a""", ("a", account)));
        Assert.Equal(8m, await BillingTesting.LedgerSumAsync(database, account));
        Assert.Equal(8m, await BillingTesting.StoredBalanceAsync(database, account));
        Assert.Equal(2m, await BillingTesting.DecimalAsync(database, """SELECT "Total" FROM billing.key_spend WHERE "KeyId" = @k""", ("k", key)));
    }

    [Fact]
    public async Task GiveMemoryTheAccountAsTheDebitLeftItWithoutAnyNotice()
    {
        var server = await PostgresServer.InstanceAsync();
        var database = await server.CreateMigratedDatabaseAsync();
        // No listener: nothing reaches this host's memory but what it changes itself (a grant, its usage debit).
        await using var host = new LlmTrHostFactory(database, BillingTesting.FastUsageWrites(), services => services.Remove(
            services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(CreditChangeListener))));
        var model = await BillingTesting.PricedModelAsync(host, (PriceUnit.Request, 0.25m, LongAgo));
        var account = await TestAccounts.CreateUserAsync(host);
        await BillingTesting.GrantAsync(host, account, 10m);
        var spentKey = Guid.NewGuid();
        var otherKey = Guid.NewGuid();
        var month = new DateOnly(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1);
        // Another host's spend on another key, and its version move, whose notice never came.
        await Sql.ExecuteAsync(database, """
            INSERT INTO billing.key_spend ("KeyId", "AccountId", "Total", "Month", "MonthAmount") VALUES (@k, @a, 3, @m, 3);
            UPDATE billing.accounts SET "Balance" = "Balance" - 3, "Version" = "Version" + 1 WHERE "AccountId" = @a;
            """, ("k", otherKey), ("a", account), ("m", month));
        var credits = host.Services.GetRequiredService<AccountCredits>();
        Assert.Equal(10m, credits.BalanceOf(account)); // the grant, read back by the host that made it; the other change unknown

        host.Services.GetRequiredService<IUsageRecorder>().Record(BillingTesting.Report(account, spentKey, model, 0, 0));

        await Poll.UntilAsync(() => Task.FromResult(credits.BalanceOf(account) == 6.75m), "the debit's state to reach memory");
        Assert.Equal(6.75m, await BillingTesting.StoredBalanceAsync(database, account));
        Assert.Equal(await BillingTesting.DecimalAsync(database, """SELECT "Version" FROM billing.accounts WHERE "AccountId" = @a""", ("a", account)), credits.VersionOf(account));
        var gate = host.Services.GetRequiredService<ICreditGate>();
        Assert.False(gate.Check(account, otherKey, keySpendLimit: 3m, keyMonthlySpendLimit: null).IsAllowed);
        Assert.False(gate.Check(account, otherKey, keySpendLimit: null, keyMonthlySpendLimit: 3m).IsAllowed);
        Assert.True(gate.Check(account, otherKey, keySpendLimit: 3.01m, keyMonthlySpendLimit: 3.01m).IsAllowed);
        Assert.False(gate.Check(account, spentKey, keySpendLimit: 0.25m, keyMonthlySpendLimit: null).IsAllowed);
        Assert.True(gate.Check(account, spentKey, keySpendLimit: 0.26m, keyMonthlySpendLimit: 0.26m).IsAllowed);
    }
}
