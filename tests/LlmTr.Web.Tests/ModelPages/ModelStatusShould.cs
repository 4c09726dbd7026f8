using Bunit;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Web.Pages.Models;
using LlmTr.Web.Tests.Support;

namespace LlmTr.Web.Tests.ModelPages;

public sealed class ModelStatusShould : ModelPageContext
{
    private const string Model = "openai/gpt-4o";

    [Theory]
    [InlineData(0, 0, "operational", "Operational")]
    [InlineData(100, 4, "operational", "Operational")]
    [InlineData(100, 5, "degraded", "Degraded: some requests fail")]
    [InlineData(100, 50, "down", "Down: requests are failing")]
    public void ShowTheModelsStatusInWordsFromTheLastHour(long requests, long errors, string status, string text)
    {
        Health.Rows = requests == 0 ? [] : [Row(Model, "openai", requests, errors), Row("llmtr/llama-70b", "llmtr", 10, 10)];
        Health.Recent = [];

        var badge = RenderModel().Find("[data-testid=model-status]");

        Assert.Equal(status, badge.GetAttribute("data-status"));
        Assert.Equal(text, badge.TextContent.Trim());
        Assert.Contains("last hour", RenderModel().Find(".llmtr-status-basis").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void SayDownWhenEveryRecentRequestFailedThoughTheHourWasGood()
    {
        Health.Rows = [Row(Model, "openai", 1000, 10)];
        Health.Recent = [Row(Model, "openai", 4, 4)];

        Assert.Equal("Down: requests are failing", RenderModel().Find("[data-testid=model-status]").TextContent.Trim());
    }

    [Fact]
    public void ShowNoStatusButStillThePageWhenDeploymentHealthCannotBeRead()
    {
        Health.Failure = new TimeoutException("the database is slow");

        var page = RenderModel();

        Assert.Equal("GPT-4o", page.Find("h1").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=model-status]"));
        Assert.DoesNotContain("Service status", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadDeploymentHealthOnceForManyPagesUntilItIsThirtySecondsOld()
    {
        Health.Rows = [Row(Model, "openai", 100, 10)];
        RenderModel();
        RenderModel();
        Assert.Equal(2, Health.Reads); // the hour and the last quarter hour, once

        Health.Rows = [Row(Model, "openai", 100, 0)];
        Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal("degraded", RenderModel().Find("[data-testid=model-status]").GetAttribute("data-status"));
        Assert.Equal(2, Health.Reads);

        Clock.Advance(TimeSpan.FromSeconds(2));
        RenderModel(); // starts the new reading and serves the one it has meanwhile
        Assert.Equal(4, Health.Reads);
        Assert.Equal("operational", RenderModel().Find("[data-testid=model-status]").GetAttribute("data-status"));
    }

    private IRenderedComponent<ModelPage> RenderModel() =>
        Render<ModelPage>(parameters => parameters.Add(p => p.ProviderSegment, "openai").Add(p => p.ModelSegment, "gpt-4o"));

    private static DeploymentHealthRow Row(string model, string deployment, long requests, long errors) =>
        new(model, deployment, requests, errors, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400), errors > 0 ? "provider_error" : null,
            errors > 0 ? TestCatalog.Now.AddMinutes(-1) : null);
}
