using Bunit;
using LlmTr.Web.Pages.Admin;
using LlmTr.Web.Tests.Support;

namespace LlmTr.Web.Tests.Pages;

public sealed class AdminHomeShould : WebTestContext
{
    [Fact]
    public void LinkToTheJobDashboardWithAFullPageLoad()
    {
        var admin = Render<AdminHome>();

        var jobs = admin.Find("a[href='/admin/jobs']");
        Assert.Equal("false", jobs.GetAttribute("data-enhance-nav"));
        Assert.Contains("catalog", admin.Markup, StringComparison.Ordinal);
    }
}
