using System.Net;
using System.Net.Http.Json;
using LlmTr.IntegrationTests.Billing;
using LlmTr.IntegrationTests.Gateway;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Residency;

/// <summary>
/// The residency report counts only requests that reached a model's data path: refused ones (no credit, unknown
/// model) are listed apart, and a client-chosen model string reaches the CSV only as inert text.
/// </summary>
public sealed class ResidencyOfRefusedRequestsShould : IAsyncLifetime
{
    private const string FormulaModel = "=HYPERLINK(\"https://example.com\",\"x\")";

    private GatewayHost _gateway = null!;
    private string _account = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayHost.StartAsync([]);
        var (account, key) = await _gateway.FundedKeyAsync(credit: 0m); // no credit: the paid Turkish model refuses with 402
        _account = account;
        using var client = _gateway.Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", key.RawKey);
        foreach (var (model, status) in new[]
        {
            ("llmtr/demo", HttpStatusCode.OK), ("llmtr/demo", HttpStatusCode.OK), ("llmtr/demo", HttpStatusCode.OK),
            ("llmtr/llama-3.3-70b", HttpStatusCode.PaymentRequired), ("llmtr/llama-3.3-70b", HttpStatusCode.PaymentRequired),
            (FormulaModel, HttpStatusCode.BadRequest),
        })
        {
            var response = await client.PostAsJsonAsync("/v1/chat/completions", new { model, messages = new[] { new { role = "user", content = "merhaba" } } });
            Assert.Equal(status, response.StatusCode);
        }

        await Poll.UntilAsync(async () => await Sql.CountAsync(_gateway.Host.ConnectionString,
            "SELECT count(*) FROM billing.usage_records WHERE \"AccountId\" = @a", ("a", _account)) == 6, "the six requests' usage to be written");
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    // Issue 18, finding 7: a 402-refused call to a Turkey-hosted model counted as "0% stayed in Turkey".
    [Fact]
    public async Task CountOnlyRequestsThatReachedAModelsDataPath()
    {
        var report = await _gateway.Host.Services.GetRequiredService<IResidencyReport>().BuildAsync(_account, new UsageFilter());

        Assert.Equal(3L, report.Total.Requests);
        Assert.Equal(1m, report.Total.ShareInTurkey);
        Assert.Equal([("TR", 3L)], report.ByCountry.Select(l => (l.Name, l.Figures.Requests)).ToList());
        Assert.Equal([("llmtr/demo", 3L)], report.ByModel.Select(l => (l.Name, l.Figures.Requests)).ToList());
    }

    // Issue 18, finding 7: refused requests are listed apart, and residency.csv neutralises spreadsheet formulas.
    [Fact]
    public async Task ListRefusedRequestsApartAndExportNoFormula()
    {
        using var browser = new FormClient(_gateway.Host);
        await BillingTesting.SignInAsync(browser, await BillingTesting.EmailOfAsync(_gateway.Host, _account));

        var csv = await (await browser.GetAsync("/billing/residency.csv")).Content.ReadAsStringAsync();
        var page = await (await browser.GetAsync("/dashboard/residency")).Content.ReadAsStringAsync();

        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("total,all,3,", lines[1][..12]);
        Assert.Contains(lines, l => l.StartsWith("refused,llmtr/llama-3.3-70b,2,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("refused,\"'=HYPERLINK(", StringComparison.Ordinal));
        var cells = lines.SelectMany(l => l.Split(',')).Select(c => c.TrimStart('"')).ToList();
        Assert.DoesNotContain(cells, c => c.Length > 0 && c[0] is '=' or '+' or '-' or '@');
        Assert.Contains("data-testid=\"residency-refused\"", page, StringComparison.Ordinal);
    }
}
