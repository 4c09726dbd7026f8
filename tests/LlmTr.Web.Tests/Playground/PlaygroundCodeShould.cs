using Bunit;
using LlmTr.Modules.Gateway.Contracts;
using LlmTr.Web.Pages.Playground;
using LlmTr.Web.Tests.Support;
using Microsoft.AspNetCore.Components;

namespace LlmTr.Web.Tests.Playground;

public sealed class PlaygroundCodeShould : WebTestContext
{
    private static readonly PlaygroundRequest Left = new("llmtr/demo", [new PlaygroundMessage("user", "Merhaba")], 0.5, 64);
    private static readonly PlaygroundRequest Right = new("openai/gpt-4o", [new PlaygroundMessage("user", "Merhaba")], 0.5, 64);

    public PlaygroundCodeShould() => Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));

    [Fact]
    public void ShowOneModelsCodeWithoutASideSelector()
    {
        var code = RenderCode([Left]);

        Assert.Empty(code.FindAll("[data-testid='code-sides']"));
        Assert.Contains("\"llmtr/demo\"", Sample(code, "python"), StringComparison.Ordinal);
    }

    [Fact]
    public void OfferEachComparedModelsOwnCodeNamingItsModel()
    {
        var code = RenderCode([Left, Right]);

        var sides = code.FindAll("[data-testid='code-sides'] button");
        Assert.Equal(["Model 1: llmtr/demo", "Model 2: openai/gpt-4o"], sides.Select(b => b.TextContent.Trim()));
        Assert.Equal("true", sides[0].GetAttribute("aria-pressed"));
        foreach (var language in new[] { "curl", "python", "javascript", "csharp" })
        {
            Assert.Contains("llmtr/demo", Sample(code, language), StringComparison.Ordinal);
            Assert.DoesNotContain("openai/gpt-4o", Sample(code, language), StringComparison.Ordinal);
        }

        code.Find("[data-testid='code-side-2']").Click();

        Assert.Equal("true", code.Find("[data-testid='code-side-2']").GetAttribute("aria-pressed"));
        Assert.Equal("false", code.Find("[data-testid='code-side-1']").GetAttribute("aria-pressed"));
        foreach (var language in new[] { "curl", "python", "javascript", "csharp" })
        {
            Assert.Contains("openai/gpt-4o", Sample(code, language), StringComparison.Ordinal);
            Assert.DoesNotContain("llmtr/demo", Sample(code, language), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void NameTheSidesInTurkish()
    {
        using var culture = new CultureScope("tr");

        var code = RenderCode([Left, Right]);

        Assert.Equal("Kodu gösterilen model", code.Find("[data-testid='code-sides']").GetAttribute("aria-label"));
        Assert.Equal(["1. model: llmtr/demo", "2. model: openai/gpt-4o"], code.FindAll("[data-testid='code-sides'] button").Select(b => b.TextContent.Trim()));
    }

    [Fact]
    public void GoBackToTheFirstModelWhenComparingStops()
    {
        var code = RenderCode([Left, Right]);
        code.Find("[data-testid='code-side-2']").Click();

        code.Render(parameters => parameters.Add(c => c.Requests, [Left]));

        Assert.Contains("llmtr/demo", Sample(code, "curl"), StringComparison.Ordinal);
    }

    private IRenderedComponent<PlaygroundCode> RenderCode(IReadOnlyList<PlaygroundRequest> requests) =>
        Render<PlaygroundCode>(parameters => parameters.Add(c => c.BaseUrl, "https://llmtr.example/v1").Add(c => c.Requests, requests));

    private static string Sample(IRenderedComponent<PlaygroundCode> code, string language) =>
        code.Find($"[data-testid='code-{language}'] pre code").TextContent;
}
