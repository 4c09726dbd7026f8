using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Jobs;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LlmTr.IntegrationTests.Billing;

/// <summary>The billing module's recurring jobs, each run here directly (Hangfire's once-per-occurrence is tested with the identity job).</summary>
public sealed class BillingJobsShould : IAsyncLifetime
{
    private static readonly Uri Site = new("https://llmtr.test/");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
    private LlmTrHostFactory _host = null!;

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.InstanceAsync();
        _host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), BillingTesting.FastUsageWrites(),
            services => services.AddSingleton<TimeProvider>(_clock));
        _ = _host.Services;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task BeDeclaredWithHangfireAtStart()
    {
        var declared = await Sql.RowsAsync(_host.ConnectionString, "SELECT DISTINCT key FROM hangfire.hash WHERE key LIKE 'recurring-job:billing:%' ORDER BY 1");

        Assert.Equal(
            new[] { BillingJobsRegistration.ExpireTopUps, BillingJobsRegistration.LowBalance, BillingJobsRegistration.ReconcileTopUps, BillingJobsRegistration.RollUpUsage,
                BillingJobsRegistration.UsagePartitions }
                .Select(id => $"recurring-job:{id}").Order(StringComparer.Ordinal),
            declared);
    }

    [Fact]
    public async Task ExpireATopUpLeftPendingAnHourAfterItsCheckoutClosed()
    {
        var account = await TestAccounts.CreateUserAsync(_host);
        var topUps = _host.Services.GetRequiredService<ITopUps>();
        var old = (await topUps.StartAsync(account, 10m, Site)).TopUpId!.Value;
        _clock.Advance(TimeSpan.FromMinutes(90));
        var recent = (await topUps.StartAsync(account, 10m, Site)).TopUpId!.Value;
        _clock.Advance(TimeSpan.FromMinutes(31)); // the first closed 61 minutes after its one-hour lifetime ended

        var expired = await Job<ExpireAbandonedTopUpsJob>().RunAsync(CancellationToken.None);

        Assert.Equal(1, expired);
        Assert.Equal(TopUpStatus.Expired, (await topUps.FindAsync(account, old))!.Status);
        Assert.Equal(TopUpStatus.Pending, (await topUps.FindAsync(account, recent))!.Status);
        Assert.Equal(0, await Job<ExpireAbandonedTopUpsJob>().RunAsync(CancellationToken.None));
    }

    [Fact]
    public async Task RollUsageUpPerDayKeyAndModelSoOlderDaysChartFromTheRollUp()
    {
        var account = await TestAccounts.CreateUserAsync(_host);
        var (cheap, dear) = (await ModelAsync(1m), await ModelAsync(3m));
        var (key, otherKey) = (Guid.NewGuid(), Guid.NewGuid());
        var recorder = _host.Services.GetRequiredService<IUsageRecorder>();
        var today = DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);
        recorder.Record(BillingTesting.Report(account, key, cheap, 1_000_000, 0, _clock.GetUtcNow()));
        recorder.Record(BillingTesting.Report(account, key, cheap, 1_000_000, 0, _clock.GetUtcNow().AddHours(-1)));
        recorder.Record(BillingTesting.Report(account, otherKey, dear, 1_000_000, 0, _clock.GetUtcNow().AddDays(-1)));
        await Poll.UntilAsync(async () => await Sql.CountAsync(_host.ConnectionString, "SELECT count(*) FROM billing.usage_records WHERE \"AccountId\" = @a", ("a", account)) == 3, "the rows");

        await Job<RollUpDailyUsageJob>().RunAsync(CancellationToken.None);
        await Job<RollUpDailyUsageJob>().RunAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromDays(3)); // both days are now read from the roll-up alone

        var usage = _host.Services.GetRequiredService<IUsageHistory>();
        Assert.Equal([new DailySpend(today.AddDays(-1), 3m, 1), new DailySpend(today, 2m, 2)], await usage.DailySpendAsync(account, today.AddDays(-5), today.AddDays(3)));
        Assert.Equal([new ModelSpend(dear, 3m, 1), new ModelSpend(cheap, 2m, 2)], await usage.SpendByModelAsync(account, today.AddDays(-5), today.AddDays(3)));
        Assert.Equal(
            [new UsageActivity(today.AddDays(-1), otherKey, dear, 1, 1_000_000, 0, 3m), new UsageActivity(today, key, cheap, 2, 2_000_000, 0, 2m)],
            await usage.ActivityAsync(account, today.AddDays(-5), today.AddDays(3)));
        Assert.Equal(2, await Sql.CountAsync(_host.ConnectionString, "SELECT count(*) FROM billing.daily_usage WHERE \"AccountId\" = @a", ("a", account)));
    }

    [Fact]
    public async Task NoticeALowBalanceOnceAndAgainOnlyAfterItRecovered()
    {
        var account = await TestAccounts.CreateUserAsync(_host);
        var accounts = _host.Services.GetRequiredService<IBillingAccounts>();
        await BillingTesting.GrantAsync(_host, account, 5m);
        Assert.Empty(await accounts.SetLowBalanceThresholdAsync(account, 10m));
        Assert.True((await accounts.GetOverviewAsync(account)).IsLow);

        Assert.Equal(1, await Job<LowBalanceNoticeJob>().RunAsync(CancellationToken.None));
        Assert.Equal(0, await Job<LowBalanceNoticeJob>().RunAsync(CancellationToken.None));
        await BillingTesting.GrantAsync(_host, account, 20m);
        Assert.Equal(0, await Job<LowBalanceNoticeJob>().RunAsync(CancellationToken.None));
        Assert.Equal(0, await Sql.CountAsync(_host.ConnectionString, "SELECT count(*) FROM billing.accounts WHERE \"AccountId\" = @a AND \"LowBalanceNotifiedAt\" IS NOT NULL", ("a", account)));
        await BillingTesting.GrantAsync(_host, account, -20m);

        Assert.Equal(1, await Job<LowBalanceNoticeJob>().RunAsync(CancellationToken.None));
        Assert.Equal(5m, await BillingTesting.LedgerSumAsync(_host.ConnectionString, account));
    }

    [Fact]
    public async Task TellAnOrganisationsOwnersAndBillingMembersOfALowBalanceAndNoOneElse()
    {
        var owner = await TestAccounts.CreateUserAsync(_host);
        var organisation = await Organisations.OrganisationTesting.CreateOrganisationAsync(_host, owner);
        var billing = await Organisations.OrganisationTesting.AddMemberAsync(_host, organisation, owner, LlmTr.Identity.Organisations.OrganisationRole.Billing);
        var member = await Organisations.OrganisationTesting.AddMemberAsync(_host, organisation, owner, LlmTr.Identity.Organisations.OrganisationRole.Member);
        await BillingTesting.GrantAsync(_host, organisation, 5m);
        Assert.Empty(await _host.Services.GetRequiredService<IBillingAccounts>().SetLowBalanceThresholdAsync(organisation, 10m));

        Assert.Equal(1, await Job<LowBalanceNoticeJob>().RunAsync(CancellationToken.None));

        foreach (var told in new[] { owner, billing })
        {
            Assert.Single(Accounts.MailedLinks.MailsTo(_host, await Accounts.MailedLinks.EmailOfAsync(_host, told)), m => m.Subject == "Your LLMTR balance is low");
        }

        Assert.DoesNotContain(Accounts.MailedLinks.MailsTo(_host, await Accounts.MailedLinks.EmailOfAsync(_host, member)), m => m.Subject == "Your LLMTR balance is low");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("10.001")]
    public async Task RefuseAThresholdThatMakesNoSense(string threshold)
    {
        var account = await TestAccounts.CreateUserAsync(_host);

        var errors = await _host.Services.GetRequiredService<IBillingAccounts>()
            .SetLowBalanceThresholdAsync(account, decimal.Parse(threshold, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Contains("Threshold", errors.Keys);
        Assert.Null((await _host.Services.GetRequiredService<IBillingAccounts>().GetOverviewAsync(account)).LowBalanceThreshold);
    }

    private Task<string> ModelAsync(decimal inputPrice) =>
        BillingTesting.PricedModelAsync(_host, (PriceUnit.InputTokensPerMillion, inputPrice, _clock.GetUtcNow().AddDays(-10)));

    private T Job<T>()
        where T : notnull => _host.Services.GetRequiredService<T>();
}
