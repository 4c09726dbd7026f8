using System.Net;
using LlmTr.IntegrationTests.Accounts;
using LlmTr.Testing;

namespace LlmTr.IntegrationTests.Hosting;

public sealed class HostShould(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task ReportHealthy(string path)
    {
        using var client = fixture.Host.CreateClient();

        var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ServeThePublicHomeWithoutSignIn()
    {
        using var client = fixture.Host.CreateClient();

        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Contains("LLMTR", html, StringComparison.Ordinal);
        Assert.Contains("/v1", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnswerAnUnknownPageWithA404Page()
    {
        using var client = fixture.Host.CreateClient();

        var response = await client.GetAsync(new Uri("/no-such-page", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("href=\"/\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

public sealed class DemoModeShould
{
    [Fact]
    public async Task SeedADemoAdminWhoCanSignIn()
    {
        var server = await PostgresServer.InstanceAsync();
        await using var host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["Demo:AdminEmail"] = "demo-admin@llmtr.test",
            ["Demo:AdminPassword"] = "Demo-Admin-Pass-1",
        });
        using var browser = new FormClient(host);

        var signedIn = await browser.SubmitAsync("/account/login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = "demo-admin@llmtr.test",
            ["Input.Password"] = "Demo-Admin-Pass-1",
        });

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin/jobs")).StatusCode);
    }
}
