using System.Globalization;
using System.Net;
using LlmTr.IntegrationTests.Billing;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Residency;

/// <summary>
/// The residency report against a seeded mix of usage rows: its figures equal what the rows say, by country, key and
/// model; the CSV export carries the same figures; the dashboard page shows them; other accounts' rows stay out.
/// </summary>
public sealed class ResidencyReportShould : IAsyncLifetime
{
    private static readonly DateTimeOffset Day = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid KeyA = Guid.NewGuid();
    private static readonly Guid KeyB = Guid.NewGuid();

    // (key, model, countries recorded at request time, prompt, completion, days after Day)
    private static readonly (Guid Key, string Model, string[] Countries, long Prompt, long Completion, int Days)[] Mix =
    [
        (KeyA, "llmtr/llama-3.3-70b", ["TR", "TR"], 100, 50, 0),
        (KeyA, "llmtr/llama-3.3-70b", ["TR", "TR"], 200, 20, 1),
        (KeyA, "openai/gpt-4o", ["TR", "US"], 1_000, 300, 1),
        (KeyB, "mistral/mistral-large-latest", ["TR", "FR"], 400, 100, 2),
        (KeyB, "llmtr/gemma-3-27b", ["TR", "TR"], 10, 5, 2),
        (KeyB, "openai/gpt-4o", ["TR", "US"], 7, 3, 40), // outside the period
    ];

    private LlmTrHostFactory _host = null!;
    private string _account = null!;

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.InstanceAsync();
        _host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), BillingTesting.FastUsageWrites());
        _account = await TestAccounts.CreateUserAsync(_host);
        var stranger = await TestAccounts.CreateUserAsync(_host);
        var recorder = _host.Services.GetRequiredService<IUsageRecorder>();
        foreach (var (key, model, countries, prompt, completion, days) in Mix)
        {
            recorder.Record(Report(_account, key, model, countries, prompt, completion, Day.AddDays(days)));
        }

        recorder.Record(Report(stranger, Guid.NewGuid(), "openai/gpt-4o", ["TR", "US"], 5_000, 5_000, Day));
        await Poll.UntilAsync(async () => await Sql.CountAsync(_host.ConnectionString, "SELECT count(*) FROM billing.usage_records WHERE \"AccountId\" IN (@a, @s)",
            ("a", _account), ("s", stranger)) == Mix.Length + 1, "the seeded rows to be written");
    }

    [Fact]
    public async Task EqualTheUsageRowsByCountryKeyAndModel()
    {
        var report = await _host.Services.GetRequiredService<IResidencyReport>().BuildAsync(_account, Period);

        var rows = await Sql.RowsAsync(_host.ConnectionString, """
            SELECT concat_ws('|', "KeyId", "ModelId", array_to_string("ProcessedIn", ' '), "PromptTokens" + "CompletionTokens")
            FROM billing.usage_records WHERE "AccountId" = @a AND "StartedAt" >= @from AND "StartedAt" < @to
            """, ("a", _account), ("from", Day), ("to", Day.AddDays(3)));
        var expected = rows.Select(r => r.Split('|')).Select(f => (Key: f[0], Model: f[1], Countries: f[2].Split(' '), Tokens: long.Parse(f[3], CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(5, expected.Count);
        Assert.Equal((5L, expected.Sum(r => r.Tokens)), (report.Total.Requests, report.Total.Tokens));
        Assert.Equal(3L, report.Total.RequestsInTurkey);
        Assert.Equal(150 + 220 + 15, report.Total.TokensInTurkey);
        Assert.Equal(0.6m, report.Total.ShareInTurkey);
        Assert.Equal(
            [("TR", 5L, 2_185L, 3L), ("FR", 1L, 500L, 0L), ("US", 1L, 1_300L, 0L)],
            report.ByCountry.Select(l => (l.Name, l.Figures.Requests, l.Figures.Tokens, l.Figures.RequestsInTurkey)).ToList());
        Assert.Equal(
            [(KeyA.ToString(), 3L, 1_670L, 2L), (KeyB.ToString(), 2L, 515L, 1L)],
            report.ByKey.Select(l => (l.Name, l.Figures.Requests, l.Figures.Tokens, l.Figures.RequestsInTurkey)).ToList());
        foreach (var line in report.ByModel)
        {
            var mine = expected.Where(r => r.Model == line.Name).ToList();
            Assert.Equal((mine.Count, mine.Sum(r => r.Tokens)), ((int)line.Figures.Requests, line.Figures.Tokens));
            Assert.Equal(mine.Count(r => r.Countries.All(c => c == "TR")), (int)line.Figures.RequestsInTurkey);
        }

        Assert.Equal(4, report.ByModel.Count);
    }

    [Fact]
    public async Task ExportTheSameFiguresAsCsvAndShowThemOnThePrintablePage()
    {
        using var browser = new FormClient(_host);
        await BillingTesting.SignInAsync(browser, await BillingTesting.EmailOfAsync(_host, _account));

        var csv = await browser.GetAsync($"/billing/residency.csv?from={Day:yyyy-MM-dd}&to={Day.AddDays(2):yyyy-MM-dd}");
        var page = await browser.GetAsync($"/dashboard/residency?from={Day:yyyy-MM-dd}&to={Day.AddDays(2):yyyy-MM-dd}");

        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("view,name,requests,tokens,requests_in_turkey,tokens_in_turkey,share_in_turkey", lines[0]);
        Assert.Equal("total,all,5,2185,3,385,0.6000", lines[1]);
        Assert.Contains("country,US,1,1300,0,0,0.0000", lines);
        Assert.Contains($"key,{KeyA},3,1670,2,370,0.6667", lines);
        Assert.Contains("model,llmtr/llama-3.3-70b,2,370,2,370,1.0000", lines);
        Assert.Equal(1 + 1 + 3 + 2 + 4, lines.Length);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"residency-share\"", html, StringComparison.Ordinal);
        Assert.Contains("data-llmtr-print", html, StringComparison.Ordinal);
        Assert.Contains("llmtr/llama-3.3-70b", html, StringComparison.Ordinal);
        Assert.Contains("mistral/mistral-large-latest", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefuseAnExportWithoutASession()
    {
        using var anonymous = new FormClient(_host);

        var response = await anonymous.GetAsync("/billing/residency.csv");

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static UsageFilter Period => new(From: DateOnly.FromDateTime(Day.UtcDateTime), To: DateOnly.FromDateTime(Day.UtcDateTime).AddDays(2));

    private static UsageReport Report(string account, Guid key, string model, string[] countries, long prompt, long completion, DateTimeOffset at) => new(
        $"req-{Guid.NewGuid():N}", account, key, model, at, TimeSpan.FromMilliseconds(300), UsageOutcome.Succeeded, 200,
        new UsageCounts(prompt, completion), countries, Streamed: false);
}
