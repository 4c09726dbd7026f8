using Bunit;
using LlmTr.Web.Pages;
using LlmTr.Web.Tests.Support;

namespace LlmTr.Web.Tests.Pages;

public sealed class HomeShould : WebTestContext
{
    [Fact]
    public void ShowACurlExampleAgainstThisSitesV1()
    {
        var home = Render<Home>();

        var example = home.Find("pre code").TextContent;
        Assert.Contains("curl http://localhost/v1/chat/completions", example, StringComparison.Ordinal);
        Assert.Contains("\"model\": \"openai/gpt-4o\"", example, StringComparison.Ordinal);
    }

    [Fact]
    public void InviteAnonymousVisitorsToRegisterOrSignIn()
    {
        var home = Render<Home>();

        Assert.NotEmpty(home.FindAll("a[href='/account/register']"));
        Assert.NotEmpty(home.FindAll("a[href='/account/login']"));
        Assert.Empty(home.FindAll("a[href='/dashboard']"));
    }

    [Fact]
    public void SendSignedInUsersToTheirDashboard()
    {
        Authorization.SetAuthorized("dev@example.com");

        var home = Render<Home>();

        Assert.NotNull(home.Find("a[href='/dashboard']"));
        Assert.Empty(home.FindAll("a[href='/account/register']"));
    }
}
