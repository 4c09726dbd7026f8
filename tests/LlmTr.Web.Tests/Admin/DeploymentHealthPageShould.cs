using Bunit;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Web.Pages.Admin.Health;
using LlmTr.Web.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LlmTr.Web.Tests.Admin;

public sealed class DeploymentHealthPageShould : WebTestContext
{
    private static readonly DateTimeOffset Now = TestCatalog.Now;
    private readonly FakeDeploymentStatistics _statistics;

    public DeploymentHealthPageShould()
    {
        var clock = new FakeTimeProvider(Now);
        Services.AddSingleton<TimeProvider>(clock);
        _statistics = AddModelStatus(clock);
    }

    [Fact]
    public void ListEveryDeploymentWithItsFiguresAndThoseWithoutTraffic()
    {
        UseCatalog(("openai/gpt-4o", ["openai", "azure-sweden"]), ("llmtr/llama-70b", ["llmtr"]));
        _statistics.Rows =
        [
            new("openai/gpt-4o", "openai", 200, 10, TimeSpan.FromMilliseconds(120.4), TimeSpan.FromMilliseconds(900), "provider_error", Now.AddMinutes(-3)),
            new("openai/gpt-4o", "retired", 3, 0, TimeSpan.FromMilliseconds(80), TimeSpan.FromMilliseconds(95), null, null),
        ];

        var page = Render<DeploymentHealthPage>();

        Assert.Equal(Now - TimeSpan.FromHours(1), _statistics.LastSince);
        var rows = page.FindAll("[data-testid=health-rows] tbody tr");
        Assert.Equal(["llmtr/llama-70b llmtr", "openai/gpt-4o azure-sweden", "openai/gpt-4o openai", "openai/gpt-4o retired"],
            rows.Select(r => string.Join(' ', r.QuerySelectorAll("code").Take(2).Select(c => c.TextContent))));

        var served = rows[2];
        Assert.Equal("200", served.QuerySelector("[data-testid=health-requests]")!.TextContent.Trim());
        Assert.StartsWith("5.0%", served.QuerySelector("[data-testid=health-error-rate]")!.TextContent.Trim().Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("10 errors", served.TextContent, StringComparison.Ordinal);
        Assert.Contains("120 ms", served.TextContent, StringComparison.Ordinal);
        Assert.Contains("900 ms", served.TextContent, StringComparison.Ordinal);
        var lastError = served.QuerySelector("[data-testid=health-last-error]")!;
        Assert.Contains("provider_error", lastError.TextContent, StringComparison.Ordinal);
        Assert.Contains("2026-06-01 11:57:00 UTC", lastError.TextContent, StringComparison.Ordinal);

        var idle = rows[1];
        Assert.Equal("0", idle.QuerySelector("[data-testid=health-requests]")!.TextContent.Trim());
        Assert.Equal("–", idle.QuerySelector("[data-testid=health-last-error]")!.TextContent.Trim());
        Assert.Contains("No longer in the catalog", rows[3].TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=health-no-traffic]"));
    }

    [Fact]
    public void ReadTheLastDayWhenAskedAndSayWhenNothingHadTraffic()
    {
        UseCatalog(("openai/gpt-4o", ["openai"]));
        Services.GetRequiredService<NavigationManager>().NavigateTo("/admin/health?window=24h");

        var page = Render<DeploymentHealthPage>();

        Assert.Equal(Now - TimeSpan.FromHours(24), _statistics.LastSince);
        Assert.Equal("page", page.Find("[data-testid=health-window-day]").GetAttribute("aria-current"));
        Assert.NotNull(page.Find("[data-testid=health-no-traffic]"));
        Assert.Single(page.FindAll("[data-testid=health-rows] tbody tr"));
    }

    [Fact]
    public void ShowTheEmptyStateWithoutDeploymentsOrTraffic()
    {
        UseCatalog();

        var page = Render<DeploymentHealthPage>();

        Assert.Contains("no request reached one", page.Find("[data-testid=health-empty]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=health-rows]"));
    }

    [Fact]
    public void SayTheFiguresCannotBeReadRatherThanFailWhenTheDatabaseDoesNotAnswer()
    {
        UseCatalog(("openai/gpt-4o", ["openai"]));
        _statistics.Failure = new TimeoutException("the database is slow");

        var page = Render<DeploymentHealthPage>();

        Assert.Contains("cannot be read right now", page.Find("[data-testid=health-unavailable]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=health-rows]"));
    }

    /// <summary>The test catalog's models named, each served from the named deployments.</summary>
    private void UseCatalog(params (string ModelId, string[] Deployments)[] models)
    {
        var source = new TestCatalog().Current;
        var served = models.Select(m => source.FindModel(m.ModelId)! with
        {
            Deployments = [.. m.Deployments.Select(name => new CatalogDeployment(m.ModelId, name, name, ApiProtocol.OpenAi, "https://upstream.example/v1", "model",
                null, [], 1, DeploymentStatus.Active))],
        }).ToList();
        Services.AddSingleton<IModelCatalog>(new FixedCatalog(new CatalogSnapshot(1, source.Providers, served)));
    }

    private sealed class FixedCatalog(CatalogSnapshot snapshot) : IModelCatalog
    {
        public CatalogSnapshot Current { get; } = snapshot;
    }
}
