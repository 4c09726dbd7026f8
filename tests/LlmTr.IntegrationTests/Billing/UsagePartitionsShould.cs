using System.Globalization;
using LlmTr.IntegrationTests.Database;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Jobs;
using LlmTr.Modules.Billing.Usage;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Persistence;
using LlmTr.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LlmTr.IntegrationTests.Billing;

/// <summary>
/// <c>billing.usage_records</c> partitioned by UTC month: where rows land, what the migration does to existing rows,
/// the job that makes partitions ahead and drops expired ones, and a row whose month has no partition yet.
/// </summary>
public sealed class UsagePartitionsShould
{
    /// <summary>The last billing migration before the table was partitioned.</summary>
    private const string BeforePartitioning = "20261207194122_UsageUpstreamLatency";

    private static readonly DateTimeOffset PricedFrom = new(2019, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>What dropping a month of raw rows must leave exactly as it was.</summary>
    private static readonly string[] Kept =
    [
        "SELECT row_to_json(t)::text FROM billing.daily_usage t",
        "SELECT row_to_json(t)::text FROM billing.ledger_entries t",
        "SELECT row_to_json(t)::text FROM billing.accounts t",
        "SELECT row_to_json(t)::text FROM billing.key_spend t",
    ];

    [Fact]
    public async Task PutRowsRecordedEitherSideOfAMonthBoundaryInTheirOwnMonthsPartitions()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 23, 59, 59, 900, TimeSpan.Zero));
        await using var host = await HostAsync(clock);
        var account = await TestAccounts.CreateUserAsync(host);
        var model = await BillingTesting.PricedModelAsync(host, (PriceUnit.InputTokensPerMillion, 1m, PricedFrom));
        var recorder = host.Services.GetRequiredService<IUsageRecorder>();

        // The host made this month's partition and the three after it as it started (the migration makes only the
        // database clock's current and next months).
        Assert.Equal(
            ["usage_records_2026_11", "usage_records_2026_12", "usage_records_2027_01", "usage_records_2027_02"],
            await Sql.RowsAsync(host.ConnectionString, "SELECT relname::text FROM pg_class WHERE relname IN ('usage_records_2026_11', 'usage_records_2026_12', 'usage_records_2027_01', 'usage_records_2027_02') ORDER BY 1"));

        var before = BillingTesting.Report(account, Guid.NewGuid(), model, 1_000, 0, clock.GetUtcNow());
        recorder.Record(before);
        clock.Advance(TimeSpan.FromMilliseconds(200)); // 00:00:00.100 on the 1st of December
        var after = BillingTesting.Report(account, Guid.NewGuid(), model, 1_000, 0, clock.GetUtcNow());
        recorder.Record(after);

        await Poll.UntilAsync(async () => await CountAsync(host, account) == 2, "both rows to be written");
        Assert.Equal("billing.usage_records_2026_11", await PartitionOfAsync(host, before.RequestId));
        Assert.Equal("billing.usage_records_2026_12", await PartitionOfAsync(host, after.RequestId));
    }

    [Fact]
    public async Task WriteABatchWhoseMonthsHaveNoPartitionYetAfterMakingThem()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
        await using var host = await HostAsync(clock, new() { ["Billing:UsageFlushInterval"] = "00:00:00.300" });
        var account = await TestAccounts.CreateUserAsync(host);
        await BillingTesting.GrantAsync(host, account, 10m);
        var model = await BillingTesting.PricedModelAsync(host, (PriceUnit.InputTokensPerMillion, 1m, PricedFrom));
        Assert.Equal(0, await Sql.CountAsync(host.ConnectionString, "SELECT count(*) FROM pg_class WHERE relname IN ('usage_records_2019_03', 'usage_records_2031_07')"));
        var recorder = host.Services.GetRequiredService<IUsageRecorder>();

        // One batch (recorded together, well inside the flush interval): this month's row and two of months without a partition.
        var reports = new[]
        {
            BillingTesting.Report(account, Guid.NewGuid(), model, 1_000_000, 0, clock.GetUtcNow()),
            BillingTesting.Report(account, Guid.NewGuid(), model, 2_000_000, 0, new DateTimeOffset(2019, 3, 15, 8, 0, 0, TimeSpan.Zero)),
            BillingTesting.Report(account, Guid.NewGuid(), model, 3_000_000, 0, new DateTimeOffset(2031, 7, 31, 23, 59, 59, TimeSpan.Zero)),
        };
        foreach (var report in reports)
        {
            recorder.Record(report);
        }

        await Poll.UntilAsync(async () => await CountAsync(host, account) == 3, "every row to be written");
        Assert.Equal("billing.usage_records_2026_11", await PartitionOfAsync(host, reports[0].RequestId));
        Assert.Equal("billing.usage_records_2019_03", await PartitionOfAsync(host, reports[1].RequestId));
        Assert.Equal("billing.usage_records_2031_07", await PartitionOfAsync(host, reports[2].RequestId));
        Assert.Equal(4m, await BillingTesting.StoredBalanceAsync(host.ConnectionString, account)); // 10 granted, 1 + 2 + 3 debited once
        Assert.Equal(4m, await BillingTesting.LedgerSumAsync(host.ConnectionString, account));

        // A retried report of one of them (same request id and start time) is still written and debited once.
        recorder.Record(reports[1]);
        await Poll.UntilAsync(() => Task.FromResult(host.Services.GetRequiredService<UsageWriter>().Reserved == 0), "the retried report to be written");
        Assert.Equal(3, await CountAsync(host, account));
        Assert.Equal(4m, await BillingTesting.LedgerSumAsync(host.ConnectionString, account));
    }

    [Fact]
    public async Task MakePartitionsAheadAndDropAnExpiredRolledUpMonthOnlyLeavingRollUpsLedgerAndBalances()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 10, 10, 12, 0, 0, TimeSpan.Zero));
        await using var host = await HostAsync(clock);
        var account = await TestAccounts.CreateUserAsync(host);
        await BillingTesting.GrantAsync(host, account, 50m);
        var model = await BillingTesting.PricedModelAsync(host, (PriceUnit.InputTokensPerMillion, 1m, PricedFrom));
        var recorder = host.Services.GetRequiredService<IUsageRecorder>();
        var key = Guid.NewGuid();

        // October 2025, rolled up by the daily job; September 2025, recorded late and never rolled up (the job covers
        // only yesterday and today); November 2025, rolled up but not yet past the retention period at the end.
        var october = BillingTesting.Report(account, key, model, 1_000_000, 0, clock.GetUtcNow());
        var september = BillingTesting.Report(account, key, model, 2_000_000, 0, new DateTimeOffset(2025, 9, 5, 9, 0, 0, TimeSpan.Zero));
        recorder.Record(october);
        recorder.Record(september);
        await Poll.UntilAsync(async () => await CountAsync(host, account) == 2, "the October and September rows");
        await Job<RollUpDailyUsageJob>(host).RunAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromDays(41)); // 20 November 2025
        var november = BillingTesting.Report(account, key, model, 4_000_000, 0, clock.GetUtcNow());
        recorder.Record(november);
        await Poll.UntilAsync(async () => await CountAsync(host, account) == 3, "the November row");
        await Job<RollUpDailyUsageJob>(host).RunAsync(CancellationToken.None);

        // 15 December 2026: October 2025 ended more than 13 months ago, November 2025 not quite.
        clock.Advance(new DateTimeOffset(2026, 12, 15, 3, 35, 0, TimeSpan.Zero) - clock.GetUtcNow());
        var before = await SnapshotAsync(host);
        var result = await Job<UsagePartitionsJob>(host).RunAsync(CancellationToken.None);

        Assert.Equal([new DateOnly(2025, 10, 1)], result.Dropped);
        Assert.Equal([new DateOnly(2025, 9, 1)], result.Kept); // not rolled up: refused
        Assert.Equal(0, await Sql.CountAsync(host.ConnectionString, "SELECT count(*) FROM pg_class WHERE relname = 'usage_records_2025_10'"));
        Assert.Equal(
            [september.RequestId, november.RequestId],
            await Sql.RowsAsync(host.ConnectionString, """SELECT "RequestId" FROM billing.usage_records WHERE "AccountId" = @a ORDER BY "StartedAt" """, ("a", account)));
        Assert.Equal(before, await SnapshotAsync(host));
        Assert.Equal(43m, await BillingTesting.StoredBalanceAsync(host.ConnectionString, account)); // 50 granted, 1 + 2 + 4 used
        Assert.Equal(43m, await BillingTesting.LedgerSumAsync(host.ConnectionString, account));

        // The charts still show October from the roll-up.
        var history = host.Services.GetRequiredService<IUsageHistory>();
        Assert.Contains(new DailySpend(new DateOnly(2025, 10, 10), 1m, 1), await history.DailySpendAsync(account, new DateOnly(2025, 10, 1), new DateOnly(2025, 10, 31)));

        // The current month and the three after it are there; a second run makes and drops nothing more.
        foreach (var month in new[] { "2026_12", "2027_01", "2027_02", "2027_03" })
        {
            Assert.Equal(1, await Sql.CountAsync(host.ConnectionString, "SELECT count(*) FROM pg_class WHERE relname = @n", ("n", "usage_records_" + month)));
        }

        var again = await Job<UsagePartitionsJob>(host).RunAsync(CancellationToken.None);
        Assert.Empty(again.Dropped);
        Assert.Equal([new DateOnly(2025, 9, 1)], again.Kept);
        Assert.Equal(before, await SnapshotAsync(host));

        // Once an operator rolls September up (the management command's call), the next run drops it too.
        Assert.Equal(1, await host.Services.GetRequiredService<IUsageRollUp>().RollUpAsync(new DateOnly(2025, 9, 1), new DateOnly(2025, 9, 30)));
        var rolledUp = await Job<UsagePartitionsJob>(host).RunAsync(CancellationToken.None);
        Assert.Equal([new DateOnly(2025, 9, 1)], rolledUp.Dropped);
        Assert.Empty(rolledUp.Kept);
        Assert.Equal([november.RequestId], await Sql.RowsAsync(host.ConnectionString, "SELECT \"RequestId\" FROM billing.usage_records WHERE \"AccountId\" = @a", ("a", account)));
        Assert.Contains(new DailySpend(new DateOnly(2025, 9, 5), 2m, 1), await history.DailySpendAsync(account, new DateOnly(2025, 9, 1), new DateOnly(2025, 9, 30)));
        Assert.Equal(before.Skip(1), (await SnapshotAsync(host)).Skip(1)); // ledger, balances and key spend as they were
        Assert.Equal(43m, await BillingTesting.StoredBalanceAsync(host.ConnectionString, account));
    }

    [Fact]
    public async Task MoveEveryExistingRowIntoItsMonthsPartitionWhenMigratingAndBackWhenReverting()
    {
        var database = await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();
        string account;
        List<string> partitionedRows;
        List<string> rows;
        await using (var old = new LlmTrHostFactory(database, BillingTesting.FastUsageWrites()))
        {
            account = await TestAccounts.CreateUserAsync(old);
            var model = await BillingTesting.PricedModelAsync(old, (PriceUnit.InputTokensPerMillion, 1m, PricedFrom));
            old.Services.GetRequiredService<IUsageRecorder>().Record(BillingTesting.Report(account, Guid.NewGuid(), model, 1_000, 0));
            await Poll.UntilAsync(async () => await CountAsync(old, account) == 1, "the usage row");
            partitionedRows = await RowsAsync(database);

            // Reverting keeps the row too.
            await MigrateAsync(old, BeforePartitioning);
        }

        Assert.Equal(0, await Sql.CountAsync(database, "SELECT count(*) FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid WHERE c.relname = 'usage_records'"));
        Assert.Equal(partitionedRows, await RowsAsync(database));

        // Rows of several months, their edges among them, made from the one the writer wrote.
        await Sql.ExecuteAsync(database, """
            INSERT INTO billing.usage_records
            SELECT (jsonb_populate_record(NULL::billing.usage_records, to_jsonb(u) || jsonb_build_object('RequestId', 'req-moved-' || n, 'StartedAt', at))).*
            FROM billing.usage_records u,
              (VALUES (1, '2024-02-29T10:00:00+00:00'), (2, '2025-06-30T23:59:59.999999+00:00'), (3, '2025-07-01T00:00:00+00:00'),
                      (4, '2025-07-01T02:59:59+03:00'), (5, '2026-01-15T12:30:00.123456+00:00')) AS m(n, at)
            """);
        rows = await RowsAsync(database);
        Assert.Equal(6, rows.Count);

        await using var upgraded = new LlmTrHostFactory(database, BillingTesting.FastUsageWrites());
        _ = upgraded.Services; // starting migrates to the latest

        Assert.Equal(1, await Sql.CountAsync(database, "SELECT count(*) FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid WHERE c.relname = 'usage_records'"));
        Assert.Equal(rows, await RowsAsync(database));
        Assert.Equal(
            [
                "req-moved-1 billing.usage_records_2024_02",
                "req-moved-2 billing.usage_records_2025_06",
                "req-moved-3 billing.usage_records_2025_07",
                "req-moved-4 billing.usage_records_2025_06", // 02:59 in Istanbul is still June in UTC
                "req-moved-5 billing.usage_records_2026_01",
            ],
            await Sql.RowsAsync(database, """SELECT "RequestId" || ' ' || tableoid::regclass::text FROM billing.usage_records WHERE "RequestId" LIKE 'req-moved-%' ORDER BY 1"""));
        Assert.Equal(0, await Sql.CountAsync(database, "SELECT count(*) FROM pg_class WHERE relname = 'usage_records_unpartitioned'"));
        var now = DateTimeOffset.UtcNow;
        foreach (var month in new[] { now, now.AddMonths(1) })
        {
            Assert.Equal(1, await Sql.CountAsync(database, "SELECT count(*) FROM pg_class WHERE relname = @n", ("n", "usage_records_" + month.ToString("yyyy_MM", CultureInfo.InvariantCulture))));
        }

        // And the moved table takes new rows with its key and indexes.
        var model2 = await BillingTesting.PricedModelAsync(upgraded, (PriceUnit.InputTokensPerMillion, 1m, PricedFrom));
        upgraded.Services.GetRequiredService<IUsageRecorder>().Record(BillingTesting.Report(account, Guid.NewGuid(), model2, 1_000, 0));
        await Poll.UntilAsync(async () => await CountAsync(upgraded, account) == 7, "a new row after the migration");
        Assert.Equal(4, await Sql.CountAsync(database, """
            SELECT count(*) FROM pg_indexes WHERE schemaname = 'billing' AND tablename = 'usage_records'
              AND indexname IN ('PK_usage_records', 'IX_usage_records_AccountId_StartedAt', 'IX_usage_records_KeyId_StartedAt', 'IX_usage_records_StartedAt')
            """));
    }

    private static async Task<LlmTrHostFactory> HostAsync(FakeTimeProvider clock, Dictionary<string, string?>? settings = null)
    {
        var server = await PostgresServer.InstanceAsync();
        var host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), BillingTesting.FastUsageWrites(settings),
            services => services.AddSingleton<TimeProvider>(clock));
        _ = host.Services;
        return host;
    }

    private static T Job<T>(LlmTrHostFactory host)
        where T : notnull => host.Services.GetRequiredService<T>();

    private static Task<long> CountAsync(LlmTrHostFactory host, string account) =>
        Sql.CountAsync(host.ConnectionString, "SELECT count(*) FROM billing.usage_records WHERE \"AccountId\" = @a", ("a", account));

    private static async Task<string> PartitionOfAsync(LlmTrHostFactory host, string requestId) =>
        (await Sql.RowsAsync(host.ConnectionString, "SELECT tableoid::regclass::text FROM billing.usage_records WHERE \"RequestId\" = @r", ("r", requestId))).Single();

    private static Task<List<string>> RowsAsync(string database) =>
        Sql.RowsAsync(database, "SELECT row_to_json(t)::text FROM billing.usage_records t ORDER BY t.\"RequestId\"");

    private static async Task<List<List<string>>> SnapshotAsync(LlmTrHostFactory host)
    {
        var snapshot = new List<List<string>>();
        foreach (var sql in Kept)
        {
            snapshot.Add(await Sql.RowsAsync(host.ConnectionString, sql + " ORDER BY 1"));
        }

        return snapshot;
    }

    private static async Task MigrateAsync(LlmTrHostFactory host, string target)
    {
        var module = host.Services.GetServices<ModuleDatabase>().Single(m => m.Schema == "billing" && m.ContextType is not null);
        await using var context = MigrationsShould.CreateContext(host.Services, module.ContextType!);
        Assert.Contains(target, context.Database.GetMigrations());
        await context.GetService<IMigrator>().MigrateAsync(target);
        Assert.Equal(target, (await context.Database.GetAppliedMigrationsAsync()).Last());
    }
}
