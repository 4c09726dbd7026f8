using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Ledger;
using LlmTr.Modules.Billing.Usage;

namespace LlmTr.UnitTests.Billing;

public sealed class AccountCreditShould
{
    private static readonly Guid Key = Guid.NewGuid();
    private static readonly Guid OtherKey = Guid.NewGuid();
    private static readonly DateOnly Month = new(2026, 12, 1);

    [Fact]
    public void TakeTheStateTheDebitReturnedEvenWhenOtherChangesCameInBetween()
    {
        var credit = Loaded(version: 4, balance: 10m);
        credit.Debit(Key, Month, 0.25m);

        // Versions 5 and 6 were other hosts' changes this host has not heard of; the debit returns version 7.
        credit.Settle(Batch(0.25m), State(7, 6.75m, (Key, 0.25m), (OtherKey, 3m)));

        Assert.Equal(7, credit.Version);
        Assert.Equal(6.75m, credit.Balance);
        Assert.Equal((6.75m, 3m, 3m), credit.Read(OtherKey, Month));
        Assert.Equal((6.75m, 0.25m, 0.25m), credit.Read(Key, Month));
    }

    [Fact]
    public void KeepALaterStateItAlreadyReadAndStillStopCountingTheBatchAsUnwritten()
    {
        var credit = Loaded(version: 4, balance: 10m);
        credit.Debit(Key, Month, 0.25m);
        credit.Apply(State(8, 5m, (Key, 0.25m))); // read after the commit, with the batch and a later change in it

        credit.Settle(Batch(0.25m), State(7, 6.75m, (Key, 0.25m)));

        Assert.Equal(8, credit.Version);
        Assert.Equal(5m, credit.Balance);
        Assert.Equal((5m, 0.25m, 0.25m), credit.Read(Key, Month));
    }

    [Fact]
    public void KeepTheStoredFiguresWhenTheDatabaseRefusedTheBatch()
    {
        var credit = Loaded(version: 4, balance: 10m);
        credit.Debit(Key, Month, 0.25m);
        Assert.Equal(9.75m, credit.Balance);

        credit.Settle(Batch(0.25m), state: null);

        Assert.Equal(4, credit.Version);
        Assert.Equal(10m, credit.Balance);
        Assert.Equal((10m, 0m, 0m), credit.Read(Key, Month));
    }

    [Fact]
    public void NeedNoReadForTheNoticeOfItsOwnDebitWhileItCommits()
    {
        var credit = Loaded(version: 4, balance: 10m);
        Assert.True(credit.Knows(4));
        Assert.False(credit.Knows(5));

        credit.Expect(6);

        Assert.True(credit.Knows(6)); // its own debit: the state comes with it
        Assert.False(credit.Knows(5)); // another host's change before it still needs a read
        Assert.False(credit.Knows(7));

        credit.Abandon(6);
        Assert.False(credit.Knows(6)); // the commit failed: if it went through after all, its notice is read

        credit.Expect(6);
        credit.Settle(Batch(0m), State(6, 10m));
        Assert.True(credit.Knows(6));
        credit.Abandon(6); // nothing left to abandon: the version is known
        Assert.True(credit.Knows(6));
    }

    [Fact]
    public void SplitABatchPerAccountInOrdinalOrderCountingEveryQueuedRow()
    {
        var report = new UsageReport("req-1", "b", Key, "m", new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero), TimeSpan.Zero,
            UsageOutcome.Succeeded, 200, UsageCounts.None, [], false);
        var batch = new List<PricedUsage>
        {
            new(report, 1m, DateTimeOffset.UtcNow),
            new(report, 1m, DateTimeOffset.UtcNow), // recorded twice: debited twice in memory, written once
            new(report with { RequestId = "req-2", AccountId = "B" }, 2m, DateTimeOffset.UtcNow),
            new(report with { RequestId = "req-3", AccountId = "a" }, 3m, DateTimeOffset.UtcNow),
        };

        var accounts = UsageBatch.Accounts(batch);

        Assert.Equal(["B", "a", "b"], accounts.Select(a => a.AccountId));
        Assert.Equal([2m, 3m, 2m], accounts.Select(a => a.Queued));
        Assert.Equal(2, accounts[2].QueuedKeys.Count);
        Assert.Equal(["req-1", "req-2", "req-3"], UsageBatch.FirstOfEachRequest(batch).Select(u => u.Report.RequestId));
    }

    [Fact]
    public void HoldAMembersBudgetAcrossAllTheirKeysLikeAKeysLimit()
    {
        var member = new SpendBudget(Guid.NewGuid(), Total: 1m, Monthly: null);
        var credit = Loaded(version: 1, balance: 100m);

        var first = credit.Reserve(Key, Month, 0.6m, null, null, member);
        var second = credit.Reserve(OtherKey, Month, 0.6m, null, null, member); // another key of the same member
        var third = credit.Reserve(OtherKey, Month, 0.6m, null, null, member);

        Assert.Equal((HoldOutcome.Held, 0.6m), (first.Outcome, first.Amount));
        Assert.Equal((HoldOutcome.Held, 0.4m), (second.Outcome, second.Amount)); // capped at what is left of the budget
        Assert.Equal(HoldOutcome.MemberTotalHeld, third.Outcome);

        credit.Debit(Key, Month, 0.5m, member.Id);
        credit.Release(Key, 0.6m, member.Id);
        credit.Debit(OtherKey, Month, 0.5m, member.Id);
        credit.Release(OtherKey, 0.4m, member.Id);

        Assert.Equal(HoldOutcome.MemberTotalReached, credit.Reserve(Key, Month, 0.1m, null, null, member).Outcome);
        Assert.Equal(HoldOutcome.Held, credit.Reserve(Key, Month, 0.1m, null, null).Outcome); // the same key without a member budget
    }

    [Fact]
    public void RefuseAMemberPastTheirMonthlyBudgetWhileOthersGoOn()
    {
        var member = new SpendBudget(Guid.NewGuid(), Total: null, Monthly: 2m);
        var other = new SpendBudget(Guid.NewGuid(), Total: null, Monthly: 2m);
        var credit = Loaded(version: 1, balance: 100m);
        credit.Debit(Key, Month, 2m, member.Id);

        Assert.Equal(HoldOutcome.MemberMonthReached, credit.Reserve(Key, Month, 0.1m, null, null, member).Outcome);
        Assert.Equal(HoldOutcome.Held, credit.Reserve(OtherKey, Month, 0.1m, null, null, other).Outcome);
        Assert.Equal(HoldOutcome.Held, credit.Reserve(Key, Month.AddMonths(1), 0.1m, null, null, member).Outcome); // a new month
    }

    private static AccountCredit Loaded(long version, decimal balance)
    {
        var credit = new AccountCredit();
        credit.Apply(State(version, balance));
        return credit;
    }

    private static AccountBatch Batch(decimal cost) => new("a", cost, [new KeyPart(Key, Month, cost)]);

    private static LoadedAccount State(long version, decimal balance, params (Guid Key, decimal Spent)[] keys) =>
        new("a", balance, version, keys.ToDictionary(k => k.Key, k => new KeySpend(k.Spent, Month, k.Spent)));
}
