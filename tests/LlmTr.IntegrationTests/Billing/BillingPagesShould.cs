using System.Globalization;
using System.Net;
using System.Text.Json;
using LlmTr.IntegrationTests.Accounts;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Billing;

/// <summary>The billing pages and endpoints over HTTP, as a signed-in browser without script uses them.</summary>
public sealed class BillingPagesShould(HostFixture fixture) : IClassFixture<HostFixture>
{
    private LlmTrHostFactory Host => fixture.Host;

    [Fact]
    public async Task TopUpThroughTheTestCheckoutFromTheBillingPageToTheBalance()
    {
        using var browser = new FormClient(Host);
        var account = await SignInAsync(browser);
        var page = await (await browser.GetAsync("/dashboard/billing")).Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"top-up-form\"", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"test-payments-notice\"", page, StringComparison.Ordinal);

        var started = await browser.PostFormAsync("/dashboard/billing", "/billing/top-ups", new Dictionary<string, string> { ["credit"] = "25" });

        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var checkout = started.Headers.Location!;
        Assert.Matches("^/billing/test-checkout/[0-9a-f-]{36}$", checkout.AbsolutePath);
        var checkoutPage = await (await browser.GetAsync(checkout.AbsolutePath)).Content.ReadAsStringAsync();
        Assert.Contains("TEST PAYMENT", checkoutPage, StringComparison.Ordinal);
        Assert.Contains("26.50 USD", checkoutPage, StringComparison.Ordinal);

        var paid = await browser.SubmitAsync(checkout.AbsolutePath, "test-pay", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, paid.StatusCode);
        var topUpId = Guid.Parse(checkout.AbsolutePath[^36..]);
        Assert.Equal($"/dashboard/billing?topUp={topUpId}", FormClient.LocationOf(paid));
        var back = await (await browser.GetAsync(FormClient.LocationOf(paid)!)).Content.ReadAsStringAsync();
        Assert.Contains("Payment received: 25.00 USD was added to your balance.", back, StringComparison.Ordinal);
        Assert.Equal(25m, (await Host.Services.GetRequiredService<IBalanceQuery>().GetAsync(account)).Balance);
        Assert.Equal(25m, await BillingTesting.LedgerSumAsync(Host.ConnectionString, account));
        var receipt = await (await browser.GetAsync($"/dashboard/billing/receipts/{topUpId}")).Content.ReadAsStringAsync();
        Assert.Contains("test_pay_", receipt, StringComparison.Ordinal);
        Assert.Contains("26.50 USD", receipt, StringComparison.Ordinal);
        Assert.Contains("The top-up was not paid", await CancelledAsync(browser), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "Enter the credit amount as a number")]
    [InlineData("ten", "Enter the credit amount as a number")]
    [InlineData("1e3", "Enter the credit amount as a number")]
    [InlineData("4.99", "Choose a credit amount from 5 to 1000 USD.")]
    [InlineData("25.001", "Use at most 2 decimal places.")]
    public async Task AnswerABadCreditWithAPreciseBadRequestAndStartNothing(string credit, string message)
    {
        using var browser = new FormClient(Host);
        var account = await SignInAsync(browser);

        var response = await browser.PostFormAsync("/dashboard/billing", "/billing/top-ups", new Dictionary<string, string> { ["credit"] = credit });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith(message, problem.RootElement.GetProperty("errors").GetProperty("Credit")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty(await Host.Services.GetRequiredService<ITopUps>().ListAsync(account));
    }

    [Fact]
    public async Task RefuseATopUpPostWithoutTheAntiforgeryTokenOrASignIn()
    {
        using var browser = new FormClient(Host);
        var account = await SignInAsync(browser);
        using var anonymous = Host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["credit"] = "25" });

        var forged = await browser.PostFormAsync("/dashboard/billing", "/billing/top-ups", new Dictionary<string, string> { ["credit"] = "25", ["__RequestVerificationToken"] = "forged" });
        var signedOut = await anonymous.PostAsync(new Uri("/billing/top-ups", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.True(signedOut.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, signedOut.StatusCode.ToString());
        Assert.Empty(await Host.Services.GetRequiredService<ITopUps>().ListAsync(account));
    }

    [Fact]
    public async Task ExportExactlyTheSignedInAccountsUsageRowsAsCsv()
    {
        using var browser = new FormClient(Host);
        var account = await SignInAsync(browser);
        var stranger = await TestAccounts.CreateUserAsync(Host);
        var model = await BillingTesting.PricedModelAsync(Host,
            (PriceUnit.InputTokensPerMillion, 2m, DateTimeOffset.UtcNow.AddDays(-40)), (PriceUnit.OutputTokensPerMillion, 6m, DateTimeOffset.UtcNow.AddDays(-40)));
        var (key, otherKey) = (Guid.NewGuid(), Guid.NewGuid());
        var recorder = Host.Services.GetRequiredService<IUsageRecorder>();
        var day = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-3), TimeSpan.Zero);
        var mine = new[]
        {
            BillingTesting.Report(account, key, model, 1_000, 200, day.AddHours(9), "req-a,\"quoted\""),
            BillingTesting.Report(account, key, model, 3_000, 0, day.AddHours(10)),
            BillingTesting.Report(account, otherKey, model, 10, 10, day.AddDays(-5)),
        };
        foreach (var report in mine)
        {
            recorder.Record(report);
        }

        recorder.Record(BillingTesting.Report(stranger, Guid.NewGuid(), model, 5, 5, day.AddHours(9)));
        await Poll.UntilAsync(async () => await Sql.CountAsync(Host.ConnectionString, "SELECT count(*) FROM billing.usage_records WHERE \"AccountId\" IN (@a, @s)", ("a", account), ("s", stranger)) == 4, "the rows");

        var all = await browser.GetAsync("/billing/usage.csv");
        var filtered = await browser.GetAsync($"/billing/usage.csv?key={key}&from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}&model={model}");

        Assert.Equal("text/csv", all.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("attachment", all.Content.Headers.ContentDisposition!.ToString(), StringComparison.Ordinal);
        var lines = (await all.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(UsageCsvHeader, lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.DoesNotContain(lines, l => l.Contains(stranger, StringComparison.Ordinal));
        var rows = await Host.Services.GetRequiredService<IUsageHistory>().QueryAsync(account, new UsageFilter(), 0, 10);
        Assert.Equal(rows.Rows.Select(ExpectedLine), lines[1..]);
        var filteredLines = (await filtered.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["\"req-a,\"\"quoted\"\"\"", mine[1].RequestId], filteredLines[1..].Select(l => l.StartsWith('"') ? l[..l.IndexOf("\",", StringComparison.Ordinal)] + "\"" : l[..l.IndexOf(',', StringComparison.Ordinal)]).Reverse());
        Assert.Contains(",0.0032,USD,", lines.Single(l => l.StartsWith("\"req-a", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("key=not-a-guid", "key")]
    [InlineData("from=2026-13-01", "from")]
    [InlineData("from=2026-02-01&to=2026-01-01", "to")]
    [InlineData("to=yesterday", "to")]
    public async Task AnswerABadExportFilterWithAPreciseBadRequest(string query, string field)
    {
        using var browser = new FormClient(Host);
        await SignInAsync(browser);

        var response = await browser.GetAsync($"/billing/usage.csv?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task ShowAReceiptOnlyToItsOwner()
    {
        using var browser = new FormClient(Host);
        var owner = await SignInAsync(browser);
        using var stranger = new FormClient(Host);
        await SignInAsync(stranger);
        var started = await Host.Services.GetRequiredService<ITopUps>().StartAsync(owner, 10m, new Uri("http://localhost/"));

        var own = await (await browser.GetAsync($"/dashboard/billing/receipts/{started.TopUpId}")).Content.ReadAsStringAsync();
        var theirs = await (await stranger.GetAsync($"/dashboard/billing/receipts/{started.TopUpId}")).Content.ReadAsStringAsync();
        var theirCheckout = await stranger.GetAsync($"/billing/test-checkout/{started.TopUpId}");

        Assert.Contains("data-testid=\"receipt\"", own, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"receipt\"", theirs, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, theirCheckout.StatusCode);
    }

    private const string UsageCsvHeader =
        "request_id,started_at,key_id,model,outcome,http_status,prompt_tokens,completion_tokens,cached_prompt_tokens,reasoning_tokens,images,audio_minutes,cost,currency,latency_ms,processed_in,streamed,key_name,error_code,error_message,cache_write_5m_tokens,cache_write_1h_tokens,audio_prompt_tokens,audio_completion_tokens,image_prompt_tokens,image_completion_tokens,image_variant,web_searches,tool_calls";

    private static string ExpectedLine(UsageRow row) => string.Join(',',
        row.RequestId.Contains(',', StringComparison.Ordinal) ? "\"" + row.RequestId.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : row.RequestId,
        row.StartedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        row.KeyId, row.ModelId, row.Outcome, row.HttpStatus, row.PromptTokens, row.CompletionTokens, row.CachedPromptTokens, row.ReasoningTokens, row.Images,
        (row.AudioMinutes / 1.000000000000000000000000000m).ToString(CultureInfo.InvariantCulture),
        (row.Cost / 1.000000000000000000000000000m).ToString(CultureInfo.InvariantCulture),
        row.Currency, row.LatencyMs, string.Join(' ', row.ProcessedIn), row.Streamed ? "true" : "false",
        "", "", "", // keys the account does not have are nameless; these rows succeeded
        row.CacheWrite5mTokens, row.CacheWrite1hTokens, row.AudioPromptTokens, row.AudioCompletionTokens, row.ImagePromptTokens, row.ImageCompletionTokens,
        row.ImageVariant ?? "", row.WebSearches, row.ToolCalls);

    private static async Task<string> CancelledAsync(FormClient browser)
    {
        var started = await browser.PostFormAsync("/dashboard/billing", "/billing/top-ups", new Dictionary<string, string> { ["credit"] = "10" });
        var cancelled = await browser.SubmitAsync(started.Headers.Location!.AbsolutePath, "test-cancel", new Dictionary<string, string>());
        return await (await browser.GetAsync(FormClient.LocationOf(cancelled)!)).Content.ReadAsStringAsync();
    }

    /// <summary>A new account, signed in through the login page in <paramref name="browser"/>.</summary>
    private async Task<string> SignInAsync(FormClient browser)
    {
        var account = await TestAccounts.CreateUserAsync(Host);
        await BillingTesting.SignInAsync(browser, await BillingTesting.EmailOfAsync(Host, account));
        return account;
    }
}
