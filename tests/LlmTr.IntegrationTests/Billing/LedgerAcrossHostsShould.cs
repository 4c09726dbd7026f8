using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Billing;

public sealed class LedgerAcrossHostsShould
{
    [Fact]
    public async Task KeepEveryBalanceEqualToTheSumOfItsEntriesUnderConcurrentLoadFromTwoHosts()
    {
        var server = await PostgresServer.InstanceAsync();
        var database = await server.CreateMigratedDatabaseAsync();
        var settings = BillingTesting.FastUsageWrites(new() { ["Billing:UsageBatchSize"] = "40" });
        await using var first = new LlmTrHostFactory(database, settings);
        await using var second = new LlmTrHostFactory(database, settings);
        var model = await BillingTesting.PricedModelAsync(first,
            (PriceUnit.InputTokensPerMillion, 1.25m, DateTimeOffset.UtcNow.AddHours(-1)),
            (PriceUnit.OutputTokensPerMillion, 5m, DateTimeOffset.UtcNow.AddHours(-1)));
        var secondCatalog = second.Services.GetRequiredService<IModelCatalog>();
        await Poll.UntilAsync(() => Task.FromResult(secondCatalog.Current.FindModel(model) is not null), "the second host to learn the model");
        var accounts = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var account = await TestAccounts.CreateUserAsync(first);
            await BillingTesting.GrantAsync(first, account, 50m);
            accounts.Add(account);
        }

        // 1,000 concurrent debits: each host records 500 requests over four accounts and two keys each; a third of the
        // request ids are reported to both hosts (a retried report), and the second host makes adjustments meanwhile.
        var keys = accounts.ToDictionary(a => a, _ => new[] { Guid.NewGuid(), Guid.NewGuid() });
        var reports = Enumerable.Range(0, 500).Select(i =>
        {
            var account = accounts[i % accounts.Count];
            return BillingTesting.Report(account, keys[account][i % 2], model, prompt: 1_000 + i, completion: 50 + i);
        }).ToList();
        var firstReports = reports;
        var secondReports = reports.Select((r, i) => i % 3 == 0 ? r : r with { RequestId = $"req-{Guid.NewGuid():N}" }).ToList();
        var work = new List<Task>
        {
            Task.Run(() => Parallel.ForEach(firstReports, r => first.Services.GetRequiredService<IUsageRecorder>().Record(r))),
            Task.Run(() => Parallel.ForEach(secondReports, r => second.Services.GetRequiredService<IUsageRecorder>().Record(r))),
        };
        work.AddRange(accounts.Select(a => Task.Run(async () =>
        {
            for (var i = 0; i < 5; i++)
            {
                await BillingTesting.GrantAsync(second, a, 1.10m);
            }
        })));
        await Task.WhenAll(work);

        var unique = firstReports.Concat(secondReports).Select(r => r.RequestId).Distinct().Count();
        await Poll.UntilAsync(async () => await Sql.CountAsync(database, "SELECT count(*) FROM billing.usage_records") == unique, "every usage row to be written");
        foreach (var account in accounts)
        {
            var stored = await BillingTesting.StoredBalanceAsync(database, account);
            Assert.Equal(await BillingTesting.LedgerSumAsync(database, account), stored);
            Assert.Equal(50m + (5 * 1.10m) - await BillingTesting.UsageCostAsync(database, account), stored);
            foreach (var key in keys[account])
            {
                Assert.Equal(
                    await BillingTesting.DecimalAsync(database, """SELECT sum("Cost") FROM billing.usage_records WHERE "KeyId" = @k""", ("k", key)),
                    await BillingTesting.DecimalAsync(database, """SELECT "Total" FROM billing.key_spend WHERE "KeyId" = @k""", ("k", key)));
            }

            foreach (var host in new[] { first, second })
            {
                var balances = host.Services.GetRequiredService<IBalanceQuery>();
                await Poll.UntilAsync(async () => (await balances.GetAsync(account)).Balance == stored, "each host's balance to match the ledger");
            }
        }

        Assert.Equal(0, await Sql.CountAsync(database, """SELECT count(*) FROM billing.usage_records WHERE "Cost" <= 0"""));
    }

    [Fact]
    public async Task RefuseToChangeOrDeleteALedgerEntry()
    {
        var server = await PostgresServer.InstanceAsync();
        await using var host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync());
        var account = await TestAccounts.CreateUserAsync(host);
        await BillingTesting.GrantAsync(host, account, 5m);

        var update = await Assert.ThrowsAsync<Npgsql.PostgresException>(() =>
            Sql.ExecuteAsync(host.ConnectionString, """UPDATE billing.ledger_entries SET "Amount" = 500"""));
        var delete = await Assert.ThrowsAsync<Npgsql.PostgresException>(() =>
            Sql.ExecuteAsync(host.ConnectionString, "DELETE FROM billing.ledger_entries"));

        Assert.Contains("immutable", update.MessageText, StringComparison.Ordinal);
        Assert.Contains("immutable", delete.MessageText, StringComparison.Ordinal);
        Assert.Equal(5m, await BillingTesting.LedgerSumAsync(host.ConnectionString, account));
    }
}
