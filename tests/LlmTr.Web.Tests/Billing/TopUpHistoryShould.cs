using Bunit;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Web.Pages.Billing;
using LlmTr.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Web.Tests.Billing;

public sealed class TopUpHistoryShould : WebTestContext
{
    private const string Account = "buyer-1";

    public TopUpHistoryShould() => Services.AddSingleton<TimeProvider>(new StoppedClock());

    [Fact]
    public void ShowWhenAnOpenTopUpExpiresAndALapsedOneAsExpiredAtOnce()
    {
        var open = TopUpSamples.Pending(Account, 25m, TopUpSamples.Now.AddMinutes(40));
        var lapsed = TopUpSamples.Pending(Account, 10m, TopUpSamples.Now.AddMinutes(-5));
        var cancelled = TopUpSamples.With(TopUpSamples.Pending(Account, 50m, TopUpSamples.Now.AddMinutes(-50)), TopUpStatus.Cancelled);
        Services.AddSingleton<ITopUps>(new ListedTopUps(open, lapsed, cancelled));

        var history = Render<TopUpHistory>(p => p.Add(c => c.AccountId, Account));

        Assert.Equal(["Pending", "Expired", "Cancelled"], history.FindAll("[data-testid=top-up-status]").Select(s => s.TextContent.Trim()));
        Assert.Equal("Open until 2026-12-07 10:40 UTC", Assert.Single(history.FindAll("[data-testid=top-up-expires]")).TextContent.Trim());
    }
}
