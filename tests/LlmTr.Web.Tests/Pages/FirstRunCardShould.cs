using Bunit;
using LlmTr.Web.Pages;
using LlmTr.Web.Tests.Support;

namespace LlmTr.Web.Tests.Pages;

public sealed class FirstRunCardShould : WebTestContext
{
    [Fact]
    public void CheckOffTheStepsThatAreDoneAndLeaveTheOthersToDo()
    {
        var card = Render<FirstRunCard>(parameters => parameters.Add(c => c.Steps,
        [
            new DashboardStep("Dash_StepAccount", "/account/manage", true),
            new DashboardStep("Dashboard_StepCreateKey", "/dashboard/keys", true),
            new DashboardStep("Dashboard_StepTopUp", "/dashboard/billing", false),
            new DashboardStep("Dashboard_StepFirstRequest", "/dashboard/playground", false),
        ]));

        var steps = card.FindAll("[data-testid='first-run-steps'] > li");
        Assert.Equal(["true", "true", "false", "false"], steps.Select(s => s.GetAttribute("data-done")));
        Assert.All(steps.Take(2), s => Assert.EndsWith("· done", s.TextContent.Trim(), StringComparison.Ordinal));
        Assert.All(steps.Skip(2), s => Assert.EndsWith("· to do", s.TextContent.Trim(), StringComparison.Ordinal));
        Assert.Equal(["/account/manage", "/dashboard/keys", "/dashboard/billing", "/dashboard/playground"], steps.Select(s => s.QuerySelector("a")!.GetAttribute("href")));
        Assert.Contains("2 of 4 steps done.", card.Markup, StringComparison.Ordinal);
    }
}
