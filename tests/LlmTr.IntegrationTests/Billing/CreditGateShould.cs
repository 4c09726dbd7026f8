using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Ledger;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LlmTr.IntegrationTests.Billing;

public sealed class CreditGateShould : IAsyncLifetime
{
    /// <summary>10,000 prompt tokens at 1.00 per million: every request here costs exactly 0.01.</summary>
    private const decimal RequestCost = 0.01m;

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 22, 0, 0, TimeSpan.Zero));
    private LlmTrHostFactory _host = null!;
    private string _model = "";

    private ICreditGate Gate => _host.Services.GetRequiredService<ICreditGate>();

    private IUsageRecorder Recorder => _host.Services.GetRequiredService<IUsageRecorder>();

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.InstanceAsync();
        _host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), BillingTesting.FastUsageWrites(),
            services => services.AddSingleton<TimeProvider>(_clock));
        _model = await BillingTesting.PricedModelAsync(_host, (PriceUnit.InputTokensPerMillion, 1m, _clock.GetUtcNow().AddDays(-1)));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task RefuseAnAccountWithoutCreditAndSayHowToTopUp()
    {
        var account = await TestAccounts.CreateUserAsync(_host);

        var decision = Gate.Check(account, Guid.NewGuid(), null, null);

        Assert.False(decision.IsAllowed);
        Assert.Equal("Your LLMTR credit balance is 0.00 USD. Add credit on the billing page of your dashboard (/dashboard/billing), then retry.", decision.Refusal);
        await BillingTesting.GrantAsync(_host, account, 1m);
        Assert.True(Gate.Check(account, Guid.NewGuid(), null, null).IsAllowed);
    }

    [Fact]
    public async Task OvershootZeroByNoMoreThanTheRequestsInFlightWhenTheBalanceCrossedIt()
    {
        var account = await TestAccounts.CreateUserAsync(_host);
        var key = Guid.NewGuid();
        await BillingTesting.GrantAsync(_host, account, 10 * RequestCost);
        var credits = _host.Services.GetRequiredService<AccountCredits>();
        var books = new Lock();
        var inFlight = 0;
        var inFlightAtCrossing = (int?)null;
        var admittedAfterCrossing = 0;

        // 100 requests in waves: each asks the gate, "calls the model" for a moment if admitted, then records its usage.
        // The test's own lock only keeps its books exact (what was in flight when zero was crossed); the gate and the
        // recorder see 100 concurrent callers.
        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(async () =>
        {
            await Task.Delay(i % 25);
            lock (books)
            {
                if (!Gate.Check(account, key, null, null).IsAllowed)
                {
                    return;
                }

                inFlight++;
                admittedAfterCrossing += inFlightAtCrossing is null ? 0 : 1;
            }

            await Task.Delay(Random.Shared.Next(1, 5));
            lock (books)
            {
                Assert.Equal(RequestCost, Recorder.Record(BillingTesting.Report(account, key, _model, 10_000, 0, _clock.GetUtcNow())).Cost);
                if (inFlightAtCrossing is null && credits.BalanceOf(account) <= 0m)
                {
                    inFlightAtCrossing = inFlight;
                }

                inFlight--;
            }
        })));

        var overshoot = -credits.BalanceOf(account);
        Assert.NotNull(inFlightAtCrossing);
        Assert.Equal(0, admittedAfterCrossing);
        Assert.InRange(overshoot, 0m, inFlightAtCrossing.Value * RequestCost);
        Assert.False(Gate.Check(account, key, null, null).IsAllowed);
        await Poll.UntilAsync(async () => await BillingTesting.StoredBalanceAsync(_host.ConnectionString, account) == -overshoot, "the usage to be written");
        Assert.Equal(-overshoot, await BillingTesting.LedgerSumAsync(_host.ConnectionString, account));
    }

    [Fact]
    public async Task RefuseAKeyAtItsTotalSpendLimitButNotTheAccountsOtherKeys()
    {
        var account = await TestAccounts.CreateUserAsync(_host);
        await BillingTesting.GrantAsync(_host, account, 5m);
        var (limited, other) = (Guid.NewGuid(), Guid.NewGuid());

        Recorder.Record(BillingTesting.Report(account, limited, _model, 20_000, 0, _clock.GetUtcNow()));
        Assert.True(Gate.Check(account, limited, keySpendLimit: 0.03m, null).IsAllowed);
        Recorder.Record(BillingTesting.Report(account, limited, _model, 10_000, 0, _clock.GetUtcNow()));

        var refused = Gate.Check(account, limited, keySpendLimit: 0.03m, null);
        Assert.StartsWith("This API key has reached its spend limit of 0.03 USD.", refused.Refusal, StringComparison.Ordinal);
        Assert.True(Gate.Check(account, other, keySpendLimit: 0.03m, null).IsAllowed);
        Assert.True(Gate.Check(account, limited, null, null).IsAllowed);
    }

    [Fact]
    public async Task RefuseAKeyAtItsMonthlyLimitUntilTheNextUtcMonth()
    {
        var account = await TestAccounts.CreateUserAsync(_host);
        await BillingTesting.GrantAsync(_host, account, 5m);
        var key = Guid.NewGuid();

        Recorder.Record(BillingTesting.Report(account, key, _model, 50_000, 0, _clock.GetUtcNow()));
        await Poll.UntilAsync(async () => await Sql.CountAsync(_host.ConnectionString, """SELECT count(*) FROM billing.key_spend WHERE "KeyId" = @k""", ("k", key)) == 1,
            "the key's spend to be written");

        Assert.StartsWith("This API key has reached its monthly spend limit of 0.05 USD.", Gate.Check(account, key, null, keyMonthlySpendLimit: 0.05m).Refusal, StringComparison.Ordinal);
        _clock.Advance(TimeSpan.FromHours(2)); // 1 December, 00:00 UTC
        Assert.True(Gate.Check(account, key, null, keyMonthlySpendLimit: 0.05m).IsAllowed);
        Assert.False(Gate.Check(account, key, keySpendLimit: 0.05m, null).IsAllowed);
    }
}
