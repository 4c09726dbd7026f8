using System.Net;
using LlmTr.Testing;

namespace LlmTr.IntegrationTests.Billing;

/// <summary>
/// Odd but well-formed query strings on the billing pages and exports: a page shows itself, an export answers 200 or a
/// 400 naming the field, and nothing is a 500.
/// </summary>
public sealed class BillingQueryEdgesShould : IAsyncLifetime
{
    private LlmTrHostFactory _host = null!;
    private FormClient _browser = null!;

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.InstanceAsync();
        _host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), BillingTesting.FastUsageWrites());
        var account = await TestAccounts.CreateUserAsync(_host);
        _browser = new FormClient(_host);
        await BillingTesting.SignInAsync(_browser, await BillingTesting.EmailOfAsync(_host, account));
    }

    public async Task DisposeAsync()
    {
        _browser.Dispose();
        await _host.DisposeAsync();
    }

    // Issue 18, finding 8: these answered 500.
    [Theory]
    [InlineData("/dashboard/billing?topUp=x")]
    [InlineData("/dashboard/residency?to=9999-12-31")]
    [InlineData("/dashboard/residency?from=9999-12-31")]
    [InlineData("/dashboard/residency?to=0001-01-01")]
    [InlineData("/billing/usage.csv?to=9999-12-31")]
    [InlineData("/billing/usage.csv?from=0001-01-01&to=9999-12-31")]
    [InlineData("/billing/residency.csv?to=9999-12-31")]
    public async Task ShowThePageOrTheExportForAnyWellFormedDate(string address)
    {
        var response = await _browser.GetAsync(address);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // Issue 18, finding 8: a model filter with a NUL character answered 500 (the database refuses NUL in text).
    [Theory]
    [InlineData("/billing/usage.csv?model=%00")]
    [InlineData("/billing/residency.csv?model=openai%2Fgpt-4o%00")]
    public async Task RefuseAModelFilterWithAControlCharacterNamingIt(string address)
    {
        var response = await _browser.GetAsync(address);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"model\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
