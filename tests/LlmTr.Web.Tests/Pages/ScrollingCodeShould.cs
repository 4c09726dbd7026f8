using Bunit;
using LlmTr.Web.ModelPages;
using LlmTr.Web.Pages;
using LlmTr.Web.Pages.Playground;
using LlmTr.Web.Tests.Support;

namespace LlmTr.Web.Tests.Pages;

/// <summary>
/// Code that can scroll sideways is reachable with the keyboard (axe's scrollable-region-focusable): every such box
/// takes focus, so arrow keys scroll it.
/// </summary>
public sealed class ScrollingCodeShould : WebTestContext
{
    [Fact]
    public void LetTheKeyboardReachTheHomePagesExample() => AssertFocusable(Render<Home>());

    [Fact]
    public void LetTheKeyboardReachAModelPagesExamples() =>
        AssertFocusable(Render<CodeExampleList>(parameters => parameters.Add(c => c.ModelId, "openai/gpt-4o").Add(c => c.BaseUrl, "https://llmtr.example/v1")), count: 4);

    [Fact]
    public void LetTheKeyboardReachThePlaygroundsSamples() =>
        AssertFocusable(Render<CodeSamples>(parameters => parameters.Add(c => c.BaseUrl, "https://llmtr.example/v1")
            .Add(c => c.Request, new LlmTr.Modules.Gateway.Contracts.PlaygroundRequest("llmtr/demo", [], null, null))), count: 4);

    private static void AssertFocusable<TComponent>(IRenderedComponent<TComponent> rendered, int count = 1)
        where TComponent : Microsoft.AspNetCore.Components.IComponent
    {
        var blocks = rendered.FindAll("pre");
        Assert.Equal(count, blocks.Count);
        Assert.All(blocks, pre => Assert.Equal("0", pre.GetAttribute("tabindex")));
    }
}
