using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Billing;

public sealed class UsageRecordingShould
{
    private static readonly DateTimeOffset LongAgo = DateTimeOffset.UtcNow.AddDays(-30);

    [Fact]
    public async Task PriceARequestAtThePriceInForceWhenItStartedAfterAPriceChange()
    {
        var server = await PostgresServer.InstanceAsync();
        await using var host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), BillingTesting.FastUsageWrites());
        var model = await BillingTesting.PricedModelAsync(host,
            (PriceUnit.InputTokensPerMillion, 2m, LongAgo), (PriceUnit.OutputTokensPerMillion, 8m, LongAgo));
        var changedAt = DateTimeOffset.UtcNow.AddMinutes(-5);
        var admin = host.Services.GetRequiredService<ICatalogAdministration>();
        Assert.True((await admin.SetPriceAsync(new PriceInput(model, nameof(PriceUnit.InputTokensPerMillion), 3m, changedAt), "test")).Succeeded);
        var catalog = host.Services.GetRequiredService<IModelCatalog>();
        await Poll.UntilAsync(() => Task.FromResult(catalog.Current.FindModel(model)!.PriceHistory.Count == 3), "the new price to reach the catalog");
        var account = await TestAccounts.CreateUserAsync(host);
        var recorder = host.Services.GetRequiredService<IUsageRecorder>();

        var before = recorder.Record(BillingTesting.Report(account, Guid.NewGuid(), model, 1_000_000, 100_000, changedAt.AddMinutes(-1), "req-before-change"));
        var after = recorder.Record(BillingTesting.Report(account, Guid.NewGuid(), model, 1_000_000, 100_000, changedAt.AddMinutes(1), "req-after-change"));

        Assert.Equal(new UsageCharge(2.8m, "USD"), before);
        Assert.Equal(new UsageCharge(3.8m, "USD"), after);
        await Poll.UntilAsync(async () => await Sql.CountAsync(host.ConnectionString, "SELECT count(*) FROM billing.usage_records WHERE \"AccountId\" = @a", ("a", account)) == 2,
            "both rows to be written");
        Assert.Equal(2.8m, await BillingTesting.DecimalAsync(host.ConnectionString, """SELECT "Cost" FROM billing.usage_records WHERE "RequestId" = 'req-before-change'"""));
        Assert.Equal(3.8m, await BillingTesting.DecimalAsync(host.ConnectionString, """SELECT "Cost" FROM billing.usage_records WHERE "RequestId" = 'req-after-change'"""));
        Assert.Equal(-6.6m, await BillingTesting.LedgerSumAsync(host.ConnectionString, account));
    }

    [Fact]
    public async Task DebitARequestReportedTwiceOnce()
    {
        var server = await PostgresServer.InstanceAsync();
        await using var host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), BillingTesting.FastUsageWrites());
        var model = await BillingTesting.PricedModelAsync(host, (PriceUnit.Request, 0.25m, LongAgo));
        var account = await TestAccounts.CreateUserAsync(host);
        await BillingTesting.GrantAsync(host, account, 1m);
        var recorder = host.Services.GetRequiredService<IUsageRecorder>();
        var report = BillingTesting.Report(account, Guid.NewGuid(), model, 0, 0);

        recorder.Record(report);
        recorder.Record(report);
        await Poll.UntilAsync(async () => await BillingTesting.StoredBalanceAsync(host.ConnectionString, account) == 0.75m, "the debit to be written");
        recorder.Record(report);

        var balances = host.Services.GetRequiredService<IBalanceQuery>();
        await Poll.UntilAsync(async () => (await balances.GetAsync(account)).Balance == 0.75m, "the duplicates to be settled in memory");
        Assert.Equal(1, await Sql.CountAsync(host.ConnectionString, "SELECT count(*) FROM billing.usage_records WHERE \"AccountId\" = @a", ("a", account)));
        Assert.Equal(0.75m, await BillingTesting.LedgerSumAsync(host.ConnectionString, account));
    }

    [Fact]
    public async Task WriteWhatIsStillQueuedWhenTheHostStops()
    {
        var server = await PostgresServer.InstanceAsync();
        var database = await server.CreateMigratedDatabaseAsync();
        var host = new LlmTrHostFactory(database, new Dictionary<string, string?> { ["Billing:UsageFlushInterval"] = "00:10:00" });
        string account;
        try
        {
            var model = await BillingTesting.PricedModelAsync(host, (PriceUnit.Request, 0.01m, LongAgo));
            account = await TestAccounts.CreateUserAsync(host);
            var recorder = host.Services.GetRequiredService<IUsageRecorder>();
            recorder.Record(BillingTesting.Report(account, Guid.NewGuid(), model, 0, 0)); // written at once; the writer then waits ten minutes
            await Poll.UntilAsync(async () => await Sql.CountAsync(database, "SELECT count(*) FROM billing.usage_records") == 1, "the first row");
            for (var i = 0; i < 25; i++)
            {
                recorder.Record(BillingTesting.Report(account, Guid.NewGuid(), model, 0, 0));
            }

            Assert.Equal(1, await Sql.CountAsync(database, "SELECT count(*) FROM billing.usage_records"));
        }
        finally
        {
            await host.DisposeAsync();
        }

        var written = await Sql.CountAsync(database, "SELECT count(*) FROM billing.usage_records");
        Assert.True(written == 26, $"{written} rows written; the host logged:{Environment.NewLine}{string.Join(Environment.NewLine, host.Logs.Entries.Where(e => !e.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal)))}");
        Assert.Equal(-0.26m, await BillingTesting.LedgerSumAsync(database, account));
        Assert.Equal(-0.26m, await BillingTesting.StoredBalanceAsync(database, account));
    }

    [Fact]
    public async Task KeepMetadataOnlyWithTheDataPathAsItWasAtRequestTime()
    {
        var server = await PostgresServer.InstanceAsync();
        await using var host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), BillingTesting.FastUsageWrites());
        var model = await BillingTesting.PricedModelAsync(host, (PriceUnit.InputTokensPerMillion, 1m, LongAgo));
        var account = await TestAccounts.CreateUserAsync(host);
        var key = Guid.NewGuid();
        var report = BillingTesting.Report(account, key, model, 120, 30) with
        {
            ProcessedIn = ["TR", "DE"],
            Streamed = true,
            Outcome = UsageOutcome.Cancelled,
            HttpStatus = 200,
            Counts = new UsageCounts(120, 30, CachedPromptTokens: 20, ReasoningTokens: 10, Images: 1, AudioMinutes: 0.5m),
        };

        host.Services.GetRequiredService<IUsageRecorder>().Record(report);

        await Poll.UntilAsync(async () => await Sql.CountAsync(host.ConnectionString, "SELECT count(*) FROM billing.usage_records WHERE \"AccountId\" = @a", ("a", account)) == 1, "the row");
        var row = (await Sql.RowsAsync(host.ConnectionString, """
            SELECT concat_ws('|', "KeyId", "ModelId", "Outcome", "HttpStatus", "PromptTokens", "CompletionTokens", "CachedPromptTokens",
              "ReasoningTokens", "Images", "AudioMinutes", "LatencyMs", array_to_string("ProcessedIn", ','), "Streamed", "Currency")
            FROM billing.usage_records WHERE "AccountId" = @a
            """, ("a", account))).Single();
        Assert.Equal($"{key}|{model}|Cancelled|200|120|30|20|10|1|0.500000|420|TR,DE|t|USD", row);
    }
}
