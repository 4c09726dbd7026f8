using LlmTr.IntegrationTests.Billing;
using LlmTr.IntegrationTests.Database;
using LlmTr.Identity.Organisations;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Persistence;
using LlmTr.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Organisations;

/// <summary>
/// An installation from before organisations: its accounts, keys, balances, ledger and usage are taken back to the
/// schema before the organisation migrations (EF's migrator, on each module's own context), then a host starts and
/// migrates as an upgrade does. Every account gets a personal organisation with its own id and every row stays as it was.
/// </summary>
public sealed class PersonalOrganisationMigrationShould
{
    /// <summary>The last migration of each module before organisations.</summary>
    private const string IdentityBefore = "20261207153824_AccountDeletion";
    private const string KeysBefore = "20261207000000_KeyLineage";

    private static readonly string[] Snapshots =
    [
        "SELECT row_to_json(t)::text FROM billing.accounts t",
        "SELECT row_to_json(t)::text FROM billing.ledger_entries t",
        "SELECT row_to_json(t)::text FROM billing.usage_records t",
        "SELECT row_to_json(t)::text FROM billing.key_spend t",
        "SELECT row_to_json(t)::text FROM keys.api_keys t",
    ];

    [Fact]
    public async Task GiveEveryAccountAPersonalOrganisationAndKeepEveryBalanceKeyAndUsageRow()
    {
        var database = await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();
        string user;
        string otherUser;
        CreatedApiKey key;
        string requestId;
        var before = new List<List<string>>();
        List<string> keysBefore;
        await using (var old = new LlmTrHostFactory(database, BillingTesting.FastUsageWrites()))
        {
            user = await TestAccounts.CreateUserAsync(old);
            otherUser = await TestAccounts.CreateUserAsync(old);
            key = (await old.Services.GetRequiredService<IApiKeys>().CreateAsync(user, new NewApiKey("from before", SpendLimit: 40m))).Key!;
            await BillingTesting.GrantAsync(old, user, 25m);
            await BillingTesting.GrantAsync(old, otherUser, 7m);
            var model = await BillingTesting.PricedModelAsync(old,
                (PriceUnit.InputTokensPerMillion, 2m, DateTimeOffset.UtcNow.AddHours(-1)),
                (PriceUnit.OutputTokensPerMillion, 8m, DateTimeOffset.UtcNow.AddHours(-1)));
            var report = BillingTesting.Report(user, key.Id, model, prompt: 10_000, completion: 2_000);
            requestId = report.RequestId;
            old.Services.GetRequiredService<IUsageRecorder>().Record(report);
            await Poll.UntilAsync(async () => await Sql.CountAsync(database, "SELECT count(*) FROM billing.usage_records") == 1
                && await Sql.CountAsync(database, "SELECT count(*) FROM billing.key_spend") > 0, "the usage row and key spend to be written");

            keysBefore = await Sql.RowsAsync(database, Snapshots[^1] + " ORDER BY 1"); // as the latest schema holds them
            await MigrateAsync(old, "identity", IdentityBefore);
            await MigrateAsync(old, "keys", KeysBefore);
        }

        Assert.Equal(0, await Sql.CountAsync(database, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'identity' AND table_name LIKE 'organisation%'"));
        Assert.Equal(1, await Sql.CountAsync(database, "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'keys' AND table_name = 'api_keys' AND column_name = 'OwnerUserId'"));
        Assert.Equal(0, await Sql.CountAsync(database, "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'keys' AND table_name = 'api_keys' AND column_name = 'AccountId'"));
        foreach (var sql in Snapshots.SkipLast(1))
        {
            before.Add(await Sql.RowsAsync(database, sql + " ORDER BY 1"));
        }

        await using var upgraded = new LlmTrHostFactory(database, BillingTesting.FastUsageWrites());
        _ = upgraded.Services; // starting migrates to the latest

        // The migration itself made the organisations (read before any service could make one on demand).
        foreach (var account in new[] { user, otherUser })
        {
            Assert.Equal(["true"], await Sql.RowsAsync(database, "SELECT \"Personal\"::text FROM identity.organisations WHERE \"Id\" = @id", ("id", account)));
            Assert.Equal([$"{account}|Owner"], await Sql.RowsAsync(database,
                "SELECT \"UserId\" || '|' || \"Role\" FROM identity.organisation_members WHERE \"OrganisationId\" = @id", ("id", account)));
        }

        Assert.Equal([$"{user}|{user}"], await Sql.RowsAsync(database, "SELECT \"AccountId\" || '|' || \"MemberUserId\" FROM keys.api_keys"));
        Assert.Equal(keysBefore, await Sql.RowsAsync(database, Snapshots[^1] + " ORDER BY 1"));
        for (var i = 0; i < before.Count; i++)
        {
            Assert.Equal(before[i], await Sql.RowsAsync(database, Snapshots[i] + " ORDER BY 1"));
        }

        var authenticator = upgraded.Services.GetRequiredService<IApiKeyAuthenticator>();
        await Poll.UntilAsync(() => Task.FromResult(authenticator.Authenticate(key.RawKey).Identity is not null), "the old key to authenticate after the upgrade");
        var identity = authenticator.Authenticate(key.RawKey).Identity!;
        Assert.Equal((key.Id, user, user, 40m), (identity.KeyId, identity.AccountId, identity.MemberUserId, identity.SpendLimit));
        Assert.Null(identity.Policy);

        var membership = (await upgraded.Organisations().MembershipsAsync(user)).Single();
        Assert.Equal((user, true, OrganisationRole.Owner), (membership.OrganisationId, membership.Organisation.Personal, membership.Role));
        var balance = (await upgraded.Services.GetRequiredService<IBalanceQuery>().GetAsync(user)).Balance;
        Assert.Equal(await BillingTesting.LedgerSumAsync(database, user), balance);
        Assert.Equal(25m - await BillingTesting.UsageCostAsync(database, user), balance);
        Assert.Equal(7m, (await upgraded.Services.GetRequiredService<IBalanceQuery>().GetAsync(otherUser)).Balance);
        Assert.NotNull(await upgraded.Services.GetRequiredService<IUsageHistory>().FindAsync(user, requestId));
        Assert.Single(await upgraded.Services.GetRequiredService<IApiKeys>().ListAsync(user));
    }

    [Fact]
    public async Task GiveAProvisionedAccountAPersonalOrganisationAndHealOneWithout()
    {
        await using var host = new LlmTrHostFactory(await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync());
        var user = await TestAccounts.CreateUserAsync(host);

        Assert.Equal(1, await Sql.CountAsync(host.ConnectionString, "SELECT count(*) FROM identity.organisations WHERE \"Id\" = @id AND \"Personal\"", ("id", user)));
        Assert.Equal(1, await Sql.CountAsync(host.ConnectionString,
            "SELECT count(*) FROM identity.organisation_members WHERE \"OrganisationId\" = @id AND \"UserId\" = @id AND \"Role\" = 'Owner'", ("id", user)));

        await Sql.ExecuteAsync(host.ConnectionString, "DELETE FROM identity.organisations WHERE \"Id\" = @id", ("id", user));
        var healed = await host.Organisations().MembershipsAsync(user);

        var personal = Assert.Single(healed);
        Assert.Equal((user, true, OrganisationRole.Owner), (personal.OrganisationId, personal.Organisation.Personal, personal.Role));
        Assert.Equal(1, await Sql.CountAsync(host.ConnectionString, "SELECT count(*) FROM identity.organisation_members WHERE \"UserId\" = @id", ("id", user)));
        Assert.Empty(await host.Organisations().MembershipsAsync("no-such-user"));
    }

    /// <summary>Takes one module's schema to <paramref name="target"/> with EF's migrator, through that module's context.</summary>
    private static async Task MigrateAsync(LlmTrHostFactory host, string schema, string target)
    {
        var module = host.Services.GetServices<ModuleDatabase>().Single(m => m.Schema == schema && m.ContextType is not null);
        await using var context = MigrationsShould.CreateContext(host.Services, module.ContextType!);
        Assert.Contains(target, context.Database.GetMigrations());
        await context.GetService<IMigrator>().MigrateAsync(target);
        Assert.Equal(target, (await context.Database.GetAppliedMigrationsAsync()).Last());
    }
}
