using Bunit;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Gateway.Contracts;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Web.Pages.Billing;
using LlmTr.Web.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LlmTr.Web.Tests.Billing;

public sealed class SpendChartsShould : WebTestContext
{
    private readonly FakeAccount account = new();

    public SpendChartsShould()
    {
        Services.AddSingleton<IBillingAccounts>(account);
        Services.AddSingleton<IUsageHistory>(account);
        Services.AddSingleton<IApiKeys>(account);
        Services.AddSingleton<TimeProvider>(new FakeTimeProvider(TestCatalog.Now));
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public void TellAnAccountWithoutUsageWhatToDoFirst()
    {
        var charts = Render<SpendCharts>(parameters => parameters.Add(c => c.AccountId, "user-1"));

        var empty = charts.Find("[data-testid='charts-empty']");
        Assert.Equal(["/dashboard/keys", "/dashboard/playground"], empty.QuerySelectorAll("a").Select(a => a.GetAttribute("href")));
        Assert.Empty(charts.FindAll("[data-testid='activity-models']"));
    }

    [Fact]
    public void AddUpRequestsTokensAndSpendPerModelAndPerKeyByName()
    {
        var key = FakeAccount.Key("ci", TestCatalog.Now.AddDays(-10));
        account.Keys.Add(key);
        account.Rows.Add(FakeAccount.Row("req_1", TestCatalog.Now.AddHours(-1), "openai/gpt-4o", 0.5m, key.Id));
        account.Rows.Add(FakeAccount.Row("req_2", TestCatalog.Now.AddDays(-2), "openai/gpt-4o", 0.25m, key.Id));
        account.Rows.Add(FakeAccount.Row("req_3", TestCatalog.Now.AddDays(-3), "llmtr/demo", 0m, PlaygroundKey.For("user-1")));
        account.Rows.Add(FakeAccount.Row("req_4", TestCatalog.Now.AddDays(-60), "llmtr/demo", 9m, key.Id)); // outside 30 days

        var charts = Render<SpendCharts>(parameters => parameters.Add(c => c.AccountId, "user-1"));

        Assert.Equal(["openai/gpt-4o|2|20|40|0.75 USD", "llmtr/demo|1|10|20|0.00 USD"], Lines(charts, "activity-models"));
        Assert.Equal(["ci (llmtr-Ab3d…fGh3)|2|20|40|0.75 USD", "Playground|1|10|20|0.00 USD"], Lines(charts, "activity-keys"));

        charts.Find("[data-testid='period-90']").Click();

        Assert.Equal(["llmtr/demo|2|20|40|9.00 USD", "openai/gpt-4o|2|20|40|0.75 USD"], Lines(charts, "activity-models").OrderBy(l => l, StringComparer.Ordinal));
        Assert.Contains("Activity, last 90 days", charts.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void ChartTheActivityPerModelAndPerKeyBesideTheirTables()
    {
        var key = FakeAccount.Key("ci", TestCatalog.Now.AddDays(-10));
        account.Keys.Add(key);
        account.Rows.Add(FakeAccount.Row("req_1", TestCatalog.Now.AddHours(-1), "openai/gpt-4o", 0.5m, key.Id));
        account.Rows.Add(FakeAccount.Row("req_2", TestCatalog.Now.AddDays(-3), "llmtr/demo", 0m, PlaygroundKey.For("user-1")));

        var charts = Render<SpendCharts>(parameters => parameters.Add(c => c.AccountId, "user-1"));

        Assert.Equal(["llmtr/demo", "openai/gpt-4o"], Legend(charts, "chart-models").Order(StringComparer.Ordinal));
        Assert.Equal(["Playground", "ci (llmtr-Ab3d…fGh3)"], Legend(charts, "chart-keys").Order(StringComparer.Ordinal));
        Assert.NotEmpty(charts.FindAll("[data-testid='activity-models'] tbody tr")); // the tables stay, as the accessible alternative
        Assert.Contains("llmtr-axis-every-3", charts.Find("[data-testid='chart-models']").ClassList); // a month's 30 labels, every third shown

        // Spend: the free demo model has none, so only the paid model is stacked.
        charts.Find("[data-testid='metric-spend']").Click();
        Assert.Equal(["openai/gpt-4o"], Legend(charts, "chart-models"));
        Assert.Equal(["ci (llmtr-Ab3d…fGh3)"], Legend(charts, "chart-keys"));
    }

    private static List<string> Legend(IRenderedComponent<SpendCharts> charts, string chart) =>
        charts.FindAll($"[data-testid='{chart}'] .mud-chart-legend-item").Select(item => item.TextContent.Trim()).ToList();

    private static IEnumerable<string> Lines(IRenderedComponent<SpendCharts> charts, string table) =>
        charts.FindAll($"[data-testid='{table}'] tbody tr").Select(r => string.Join('|', r.QuerySelectorAll("td").Select(td => td.TextContent.Trim())));
}
