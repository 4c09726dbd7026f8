using Bunit;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Web.Pages.Billing;
using LlmTr.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Web.Tests.Billing;

public sealed class PendingTopUpsShould : WebTestContext
{
    private const string Account = "buyer-1";

    public PendingTopUpsShould() => Services.AddSingleton<TimeProvider>(new StoppedClock());

    [Fact]
    public void OfferToContinueOrCancelAnOpenCheckoutAndSayWhenItExpires()
    {
        var open = TopUpSamples.Pending(Account, 25m, TopUpSamples.Now.AddMinutes(40));
        Services.AddSingleton<ITopUps>(new ListedTopUps(open));

        var pending = Render<PendingTopUps>(p => p.Add(c => c.AccountId, Account));

        var row = pending.Find("[data-testid=pending-top-up]");
        Assert.Contains("26.50 USD", row.TextContent, StringComparison.Ordinal);
        Assert.Equal("Open until 2026-12-07 10:40 UTC", pending.Find("[data-testid=pending-expires]").TextContent.Trim());
        var forms = row.QuerySelectorAll("form");
        Assert.Equal([$"/billing/top-ups/{open.Id}/resume", $"/billing/top-ups/{open.Id}/cancel"], forms.Select(f => f.GetAttribute("action")));
        Assert.All(forms, f => Assert.Equal("post", f.GetAttribute("method")));
        Assert.Equal("Continue the payment of 26.50 USD", pending.Find("[data-testid=resume-top-up]").GetAttribute("aria-label"));
        Assert.Equal("Cancel", pending.Find("[data-testid=cancel-top-up]").TextContent.Trim());
    }

    [Fact]
    public void ShowNothingForCheckoutsThatHaveClosedOrEnded()
    {
        var lapsed = TopUpSamples.Pending(Account, 10m, TopUpSamples.Now.AddSeconds(-1));
        var paid = TopUpSamples.With(TopUpSamples.Pending(Account, 10m, TopUpSamples.Now.AddMinutes(30)), TopUpStatus.Completed);
        var cancelled = TopUpSamples.With(TopUpSamples.Pending(Account, 10m, TopUpSamples.Now.AddMinutes(30)), TopUpStatus.Cancelled);
        var someoneElses = TopUpSamples.Pending("buyer-2", 10m, TopUpSamples.Now.AddMinutes(30));
        Services.AddSingleton<ITopUps>(new ListedTopUps(lapsed, paid, cancelled, someoneElses));

        var pending = Render<PendingTopUps>(p => p.Add(c => c.AccountId, Account));

        Assert.Empty(pending.FindAll("[data-testid=pending-top-ups]"));
    }

    [Fact]
    public void SpeakTurkish()
    {
        using var turkish = new CultureScope("tr");
        Services.AddSingleton<ITopUps>(new ListedTopUps(TopUpSamples.Pending(Account, 25m, TopUpSamples.Now.AddMinutes(40))));

        var pending = Render<PendingTopUps>(p => p.Add(c => c.AccountId, Account));

        Assert.Equal("Ödemeye devam et", pending.Find("[data-testid=resume-top-up]").TextContent.Trim());
        Assert.Equal("İptal et", pending.Find("[data-testid=cancel-top-up]").TextContent.Trim());
        Assert.Equal("2026-12-07 10:40 UTC tarihine kadar açık", pending.Find("[data-testid=pending-expires]").TextContent.Trim());
    }
}
