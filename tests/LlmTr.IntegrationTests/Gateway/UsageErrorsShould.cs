using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LlmTr.IntegrationTests.Billing;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Gateway.Contracts;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Gateway;

/// <summary>
/// A failed request's error, from the gateway's answer to the usage row, the request detail page and the CSV export;
/// keys by name and playground rows as "Playground" in the export.
/// </summary>
public sealed class UsageErrorsShould(OpenAiGatewayFixture fixture) : IClassFixture<OpenAiGatewayFixture>
{
    private const string Prompt = "my private prompt words";

    private GatewayHost Gateway => fixture.Gateway;

    private IUsageHistory Usage => Gateway.Host.Services.GetRequiredService<IUsageHistory>();

    [Fact]
    public async Task KeepTheErrorCodeOfARequestRefusedForCreditAndShowItInTheDetailAndTheCsv()
    {
        var (userId, key) = await Gateway.FundedKeyAsync(credit: 0, new NewApiKey("ci-deploy"));

        var (status, requestId) = await ChatAsync(key.RawKey, "openai/gpt-4o");

        Assert.Equal(HttpStatusCode.PaymentRequired, status);
        var row = await RowAsync(userId, requestId);
        Assert.Equal((UsageOutcome.Failed, 402, "insufficient_credits"), (row.Outcome, row.HttpStatus, row.ErrorCode));
        Assert.False(string.IsNullOrWhiteSpace(row.ErrorMessage));
        Assert.DoesNotContain(Prompt, row.ErrorMessage, StringComparison.Ordinal);

        using var browser = await SignedInAsync(userId);
        var detail = await (await browser.GetAsync($"/dashboard/requests/{requestId}")).Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"detail-error-code\"><code>insufficient_credits</code>", detail, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"detail-error-message\"", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Prompt, detail, StringComparison.Ordinal);

        var line = await CsvLineAsync(browser, requestId);
        Assert.Contains($",{key.Id},openai/gpt-4o,Failed,402,", line, StringComparison.Ordinal);
        Assert.Contains(",ci-deploy,insufficient_credits,", line, StringComparison.Ordinal);
        Assert.DoesNotContain(Prompt, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeepOnlyTheGatewaysWordsWhenAProviderRejectsARequestQuotingIt()
    {
        fixture.Upstream.Respond = (_, context) => Sse.JsonAsync(context, 400, FakeOpenAi.Error($"Invalid content: '{Prompt}'", "invalid_request_error"));
        var (userId, key) = await Gateway.FundedKeyAsync();

        var (status, requestId) = await ChatAsync(key.RawKey, "openai/gpt-4o");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var row = await RowAsync(userId, requestId);
        Assert.Equal("provider_rejected_request", row.ErrorCode);
        Assert.Equal("The provider of 'openai/gpt-4o' rejected the request.", row.ErrorMessage);
    }

    [Fact]
    public async Task NameThePlaygroundsRowsPlaygroundAndLeaveSucceededRowsWithoutAnError()
    {
        var userId = await TestAccounts.CreateUserAsync(Gateway.Host);
        PlaygroundFinished? finished = null;
        await foreach (var item in Gateway.Host.Services.GetRequiredService<IPlaygroundChat>().StreamAsync(userId, userId, new PlaygroundRequest("llmtr/demo", [new PlaygroundMessage("user", "Merhaba")])))
        {
            finished ??= item as PlaygroundFinished;
        }

        Assert.NotNull(finished);
        var row = await RowAsync(userId, finished.RequestId);
        Assert.Null(row.ErrorCode);
        Assert.Null(row.ErrorMessage);
        using var browser = await SignedInAsync(userId);
        var line = await CsvLineAsync(browser, finished.RequestId);
        Assert.Contains($",{PlaygroundKey.For(userId)},llmtr/demo,Succeeded,200,", line, StringComparison.Ordinal);
        Assert.Contains(",Playground,,,", line, StringComparison.Ordinal); // a name, then no error code and no message
    }

    [Fact]
    public async Task CutAnOverlongErrorToItsColumnsAndDropNulCharactersRatherThanLoseTheRow()
    {
        var userId = await TestAccounts.CreateUserAsync(Gateway.Host);
        var report = BillingTesting.Report(userId, Guid.NewGuid(), "llmtr/demo", 1, 0) with
        {
            Outcome = UsageOutcome.Failed,
            HttpStatus = 400,
            ErrorCode = new string('c', 100),
            ErrorMessage = "bad\0" + new string('m', 400),
        };

        Gateway.Host.Services.GetRequiredService<IUsageRecorder>().Record(report);

        var row = await RowAsync(userId, report.RequestId);
        Assert.Equal(new string('c', UsageErrors.MaxCodeLength), row.ErrorCode);
        Assert.Equal("bad" + new string('m', UsageErrors.MaxMessageLength - 3), row.ErrorMessage);
    }

    private async Task<(HttpStatusCode Status, string RequestId)> ChatAsync(string rawKey, string model)
    {
        using var client = Gateway.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent($$"""{"model":"{{model}}","messages":[{"role":"user","content":"{{Prompt}}"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", rawKey);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, response.Headers.GetValues("x-request-id").Single());
    }

    private async Task<UsageRow> RowAsync(string userId, string requestId)
    {
        UsageRow? row = null;
        await Poll.UntilAsync(async () => (row = await Usage.FindAsync(userId, requestId)) is not null, "the request's usage row");
        return row!;
    }

    private async Task<FormClient> SignedInAsync(string userId)
    {
        var browser = new FormClient(Gateway.Host);
        await BillingTesting.SignInAsync(browser, await BillingTesting.EmailOfAsync(Gateway.Host, userId));
        return browser;
    }

    private static async Task<string> CsvLineAsync(FormClient browser, string requestId)
    {
        var csv = await (await browser.GetAsync("/billing/usage.csv")).Content.ReadAsStringAsync();
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(",key_name,error_code,error_message,", lines[0], StringComparison.Ordinal);
        return Assert.Single(lines, l => l.StartsWith(requestId + ",", StringComparison.Ordinal));
    }
}
