using LlmTr.Modules.Billing.Usage;

namespace LlmTr.UnitTests.Billing;

public sealed class UsageMonthsShould
{
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 1, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(2025, 10, true)] // ended 1 November 2025: thirteen months before 1 December 2026
    [InlineData(2025, 11, false)] // ends 1 December 2025: thirteen months on is 1 January 2027
    [InlineData(2024, 1, true)]
    [InlineData(2026, 12, false)]
    public void CallAMonthExpiredOnlyOnceItEndedTheRetentionPeriodAgo(int year, int month, bool expired) =>
        Assert.Equal(expired, UsageMonths.IsExpired(new DateOnly(year, month, 1), Now, retentionMonths: 13));

    [Fact]
    public void ExpireAMonthAtTheFirstInstantOfTheMonthItsRetentionEnds()
    {
        var november2025 = new DateOnly(2025, 11, 1);
        var end = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.False(UsageMonths.IsExpired(november2025, end.AddTicks(-1), 13));
        Assert.True(UsageMonths.IsExpired(november2025, end, 13));
        Assert.True(UsageMonths.IsExpired(new DateOnly(2025, 11, 20), end, 13)); // any day names its month
    }

    [Fact]
    public void KeepRowsFromTheMonthThatBeganTheRetentionPeriodBeforeThisOne()
    {
        Assert.Equal(new DateOnly(2025, 11, 1), UsageMonths.RawKeptFrom(Now, 13));
        Assert.Equal(new DateOnly(2026, 11, 1), UsageMonths.RawKeptFrom(Now, 1));
        Assert.False(UsageMonths.IsExpired(UsageMonths.RawKeptFrom(Now, 13), Now, 13));
        Assert.True(UsageMonths.IsExpired(UsageMonths.RawKeptFrom(Now, 13).AddMonths(-1), Now, 13));
    }

    [Fact]
    public void TakeTheMonthFromUtcTime()
    {
        var lateInIstanbul = new DateTimeOffset(2026, 12, 1, 2, 30, 0, TimeSpan.FromHours(3)); // 30 November in UTC

        Assert.Equal(new DateOnly(2026, 11, 1), UsageMonths.MonthOf(lateInIstanbul));
        Assert.Equal(
            [new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 1), new DateOnly(2027, 1, 1), new DateOnly(2027, 2, 1)],
            UsageMonths.Ahead(lateInIstanbul, 3));
    }

    [Theory]
    [InlineData("usage_records_2026_12", 2026, 12)]
    [InlineData("usage_records_0001_01", 1, 1)]
    public void ReadTheMonthBackFromAPartitionsName(string name, int year, int month)
    {
        Assert.Equal(new DateOnly(year, month, 1), UsageMonths.FromPartitionName(name));
        Assert.Equal(name, UsageMonths.PartitionName(new DateOnly(year, month, 17)));
    }

    [Theory]
    [InlineData("usage_records_2026_13")]
    [InlineData("usage_records_2026_1")]
    [InlineData("usage_records_archive")]
    [InlineData("usage_records")]
    public void IgnoreATableNotNamedAfterAMonth(string name) => Assert.Null(UsageMonths.FromPartitionName(name));
}
