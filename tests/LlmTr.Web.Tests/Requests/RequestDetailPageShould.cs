using System.Security.Claims;
using Bunit;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Web.Pages.Requests;
using LlmTr.Web.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LlmTr.Web.Tests.Requests;

/// <summary>Issue 20: a request's detail shows every quantity it was billed for, and its cost unit by unit.</summary>
public sealed class RequestDetailPageShould : WebTestContext
{
    private readonly FakeAccount account = new();
    private readonly Pricing pricing = new();

    public RequestDetailPageShould()
    {
        Services.AddSingleton<IUsageHistory>(account);
        Services.AddSingleton<IApiKeys>(account);
        Services.AddSingleton<IUsagePricing>(pricing);
        Services.AddSingleton<TimeProvider>(new FakeTimeProvider(TestCatalog.Now));
        Authorization.SetAuthorized("dev@example.com");
        Authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, "user-1"));
        ActInPersonalOrganisation("user-1");
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        account.Rows.Add(FakeAccount.Row("req_0123456789abcdef0123456789abcdef", TestCatalog.Now.AddHours(-1), "anthropic/claude-sonnet-4.5", 0.045593m) with
        {
            CacheWrite5mTokens = 3_000,
            CacheWrite1hTokens = 1_000,
            WebSearches = 2,
        });
    }

    [Fact]
    public void ShowTheCacheWritesAndSearchesAndTheCostUnitByUnit()
    {
        pricing.Lines = [new("cache_write_1h_tokens_per_million", null, 1_000, 6m, 0.006m), new("web_search", null, 2, 0.01m, 0.02m)];
        pricing.Total = 0.045593m;

        var page = Render<RequestDetailPage>(p => p.Add(c => c.RequestId, "req_0123456789abcdef0123456789abcdef"));

        Assert.Equal("3,000 for 5 minutes, 1,000 for 1 hour", page.Find("[data-testid='detail-cache-writes']").TextContent);
        Assert.Equal("2", page.Find("[data-testid='detail-web-searches']").TextContent);
        var lines = page.FindAll("[data-testid='detail-cost-lines'] tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Contains("Per 1M tokens written to a 1-hour cache", lines[0], StringComparison.Ordinal);
        Assert.Contains("Per web search", lines[1], StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid='detail-audio-tokens']"));
    }

    [Fact]
    public void LeaveOutALineByLineCostThatDoesNotAddUpToWhatWasCharged()
    {
        // A price back-dated after the request ran: today's arithmetic is not what the request paid.
        pricing.Lines = [new("web_search", null, 2, 0.02m, 0.04m)];
        pricing.Total = 0.04m;

        var page = Render<RequestDetailPage>(p => p.Add(c => c.RequestId, "req_0123456789abcdef0123456789abcdef"));

        Assert.Empty(page.FindAll("[data-testid='detail-cost-lines']"));
        Assert.Contains("0.045593", page.Find("[data-testid='detail-cost']").TextContent, StringComparison.Ordinal);
    }

    private sealed class Pricing : IUsagePricing
    {
        public IReadOnlyList<UsageCostLine> Lines { get; set; } = [];

        public decimal Total { get; set; }

        public UsageCost? Price(string modelId, UsageCounts counts, DateTimeOffset at, UsageOutcome outcome = UsageOutcome.Succeeded) =>
            counts is { CacheWrite5mTokens: 3_000, CacheWrite1hTokens: 1_000, WebSearches: 2 } ? new UsageCost(Lines, Total, "USD") : null;
    }
}
