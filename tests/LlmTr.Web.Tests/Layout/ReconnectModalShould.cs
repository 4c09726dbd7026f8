using Bunit;
using LlmTr.Web.Layout;
using LlmTr.Web.Tests.Support;

namespace LlmTr.Web.Tests.Layout;

public sealed class ReconnectModalShould : WebTestContext
{
    [Fact]
    public void CarryTheIdsBlazorsReconnectDisplayLooksFor()
    {
        var modal = Render<ReconnectModal>();

        // blazor.web.js uses its own display only when it finds this id, and fills in the seconds by id.
        var dialog = modal.Find("dialog#components-reconnect-modal");
        Assert.Equal("Connection lost", modal.Find("#" + dialog.GetAttribute("aria-labelledby")).TextContent.Trim());
        Assert.NotNull(modal.Find("#components-seconds-to-next-attempt"));
        Assert.NotNull(modal.Find("button#components-reconnect-button"));
        Assert.NotNull(modal.Find("button#components-resume-button"));
        Assert.Equal("Reload the page", modal.Find("button#llmtr-reconnect-reload").TextContent.Trim());
    }

    [Fact]
    public void UseNoInlineScript()
    {
        var modal = Render<ReconnectModal>();

        Assert.Empty(modal.FindAll("script"));
        Assert.All(modal.FindAll("*"), element => Assert.DoesNotContain(element.Attributes, a => a.Name.StartsWith("on", StringComparison.Ordinal)));
    }

    [Fact]
    public void SpeakTurkishInATurkishInterface()
    {
        using var turkish = new CultureScope("tr");

        var modal = Render<ReconnectModal>();

        Assert.Equal("Bağlantı koptu", modal.Find("#llmtr-reconnect-title").TextContent.Trim());
        Assert.Equal("Yeniden dene", modal.Find("#components-reconnect-button").TextContent.Trim());
        Assert.Contains("Yeniden bağlanılamadı", modal.Markup, StringComparison.Ordinal);
    }
}
