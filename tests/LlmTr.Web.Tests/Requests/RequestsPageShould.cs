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

public sealed class RequestsPageShould : WebTestContext
{
    private readonly FakeAccount account = new();

    public RequestsPageShould()
    {
        Services.AddSingleton<IUsageHistory>(account);
        Services.AddSingleton<IApiKeys>(account);
        Services.AddSingleton<TimeProvider>(new FakeTimeProvider(TestCatalog.Now));
        Authorization.SetAuthorized("dev@example.com");
        Authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, "user-1"));
        ActInPersonalOrganisation("user-1");
    }

    [Fact]
    public void NeverSayThereAreNoRequestsWhileTheRowsAreStillComing()
    {
        // Before the first load ends (the prerendered page, a slow query) "no requests" would be read as the answer.
        account.Rows.Add(FakeAccount.Row("req_1", TestCatalog.Now.AddHours(-1), cost: 0.25m));
        account.QueryGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var page = Render<RequestsPage>();

        Assert.Empty(page.FindAll("[data-testid='requests-empty']"));
        Assert.NotEmpty(page.FindAll(".llmtr-table-pending, .mud-table-loading"));

        account.QueryGate.SetResult();

        page.WaitForAssertion(() => Assert.Contains("req_1", page.Find("[data-testid='requests-table']").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll(".llmtr-table-pending, .mud-table-loading"));
    }

    [Fact]
    public void SayFromWhichDayRequestsAreKept()
    {
        account.RawKeptFrom = new DateOnly(2025, 11, 1);
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var page = Render<RequestsPage>();

        Assert.Contains("2025-11-01", page.Find("[data-testid='requests-retention']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ListTheRowsOnceLoadedAndDropThePlaceholder()
    {
        account.Rows.Add(FakeAccount.Row("req_1", TestCatalog.Now.AddHours(-1), cost: 0.25m));
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var page = Render<RequestsPage>();

        page.WaitForAssertion(() => Assert.Contains("req_1", page.Find("[data-testid='requests-table']").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll(".llmtr-table-pending"));
    }

    [Fact]
    public void SayThereAreNoRequestsOnlyAfterLoadingNone()
    {
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var page = Render<RequestsPage>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid='requests-empty']")));
        Assert.Empty(page.FindAll(".llmtr-table-pending"));
    }
}
