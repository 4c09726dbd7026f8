using System.Text.RegularExpressions;
using LlmTr.Testing;
using Microsoft.Playwright;

namespace LlmTr.E2E;

public sealed partial class PlaygroundJourneysShould(SiteFixture site) : IClassFixture<SiteFixture>
{
    [Fact]
    public async Task StreamTwoModelsSideBySideOnTheSamePromptSentWithEnter()
    {
        var page = await site.NewPageAsync();
        await SiteFixture.JourneyAsync(page, "playground-compare", async () =>
        {
            await Visitors.RegisterAsync(page, $"compare-{Guid.NewGuid():N}@llmtr.test");

            // The demo model works without any provider's credentials: it is compared with itself here.
            await page.GotoAsync("/dashboard/playground?model=llmtr/demo&compare=llmtr/demo");
            var message = page.Locator("textarea[data-testid=playground-message]");
            await Assertions.Expect(message).ToBeEnabledAsync();
            await Assertions.Expect(page.GetByTestId("playground-lane")).ToHaveCountAsync(2);
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: true);

            // Shift+Enter breaks the line; Enter sends the message to both models.
            await message.FillAsync("Merhaba");
            await message.PressAsync("Shift+Enter");
            await message.PressSequentiallyAsync("iki model");
            await Assertions.Expect(message).ToHaveValueAsync("Merhaba\niki model");
            await Assertions.Expect(page.GetByTestId("turn-user")).ToHaveCountAsync(0);
            await message.PressAsync("Enter");

            var lanes = page.GetByTestId("playground-lane");
            for (var i = 0; i < 2; i++)
            {
                await Assertions.Expect(lanes.Nth(i).GetByTestId("turn-user")).ToHaveTextAsync(new Regex("Merhaba\\s+iki model"));
                await Assertions.Expect(lanes.Nth(i).GetByTestId("turn-assistant")).ToContainTextAsync("You said: \"Merhaba");
                await Assertions.Expect(lanes.Nth(i).GetByTestId("answer-usage")).ToContainTextAsync("output tokens, cost");
            }

            // Two requests, each with its own id in the request log.
            var first = RequestId().Match(await lanes.Nth(0).GetByTestId("answer-usage").InnerTextAsync()).Value;
            var second = RequestId().Match(await lanes.Nth(1).GetByTestId("answer-usage").InnerTextAsync()).Value;
            Assert.NotEqual(first, second);
            await Assertions.Expect(message).ToHaveValueAsync("");
            await Assertions.Expect(page.GetByTestId("code-csharp")).ToContainTextAsync("new UserChatMessage(\"Merhaba\\niki model\")");
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: true);

            // Each side's own call: the second side's code, with its own conversation, picked with its button.
            var secondSide = page.GetByTestId("code-side-2");
            await Assertions.Expect(secondSide).ToHaveTextAsync("Model 2: llmtr/demo");
            await secondSide.ClickAsync();
            await Assertions.Expect(secondSide).ToHaveAttributeAsync("aria-pressed", "true");
            await Assertions.Expect(page.GetByTestId("code-side-1")).ToHaveAttributeAsync("aria-pressed", "false");
            await Assertions.Expect(page.GetByTestId("code-csharp")).ToContainTextAsync(AssistantTurnInCode());
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: true);
            Assert.Empty(SiteFixture.CspViolations(page));
        });
    }

    [Fact]
    public async Task ShowAFailedRequestsErrorCodeInThePlaygroundTheRequestLogAndItsDetail()
    {
        var page = await site.NewPageAsync();
        await SiteFixture.JourneyAsync(page, "failed-request", async () =>
        {
            // A new account has no credit, so a paid model is refused.
            await Visitors.RegisterAsync(page, $"failed-{Guid.NewGuid():N}@llmtr.test");
            await page.GotoAsync("/dashboard/playground?model=openai/gpt-4o");
            var message = page.Locator("textarea[data-testid=playground-message]");
            await Assertions.Expect(message).ToBeEnabledAsync();
            await message.FillAsync("Selam");
            await page.GetByTestId("playground-send").ClickAsync();
            var error = page.GetByTestId("playground-error");
            await Assertions.Expect(error).ToContainTextAsync("insufficient_credits");

            // On a phone the alert, request id and all, stays within the screen.
            await page.SetViewportSizeAsync(390, 844);
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
                "the failed request's alert makes the playground wider than a phone's screen");
            await page.SetViewportSizeAsync(1280, 720);
            var requestId = RequestId().Match(await error.InnerTextAsync()).Value;
            Assert.NotEmpty(requestId);

            // The log is written in batches: look until the request is there.
            await Poll.UntilAsync(() => RequestLog.ListsAsync(page, requestId), "the failed request in the request log", TimeSpan.FromSeconds(20));
            var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = requestId });
            await Assertions.Expect(row.GetByTestId("request-error")).ToContainTextAsync("insufficient_credits");
            await Assertions.Expect(row).ToContainTextAsync("402");
            await Assertions.Expect(row).ToContainTextAsync("Playground");
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: true);

            await row.GetByRole(AriaRole.Link, new() { Name = requestId }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("detail-error-code")).ToHaveTextAsync("insufficient_credits");
            await Assertions.Expect(page.GetByTestId("detail-error-message")).Not.ToBeEmptyAsync();
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: true);

            // The dashboard's activity counts the refused request, under the playground.
            await page.GotoAsync("/dashboard");
            await Assertions.Expect(page.GetByTestId("activity-keys")).ToContainTextAsync("Playground");
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: true);
        });
    }

    [GeneratedRegex("new AssistantChatMessage\\(\".*You said: \\\\\"Merhaba")]
    private static partial Regex AssistantTurnInCode();

    [GeneratedRegex("req_[0-9a-f]{32}")]
    private static partial Regex RequestId();
}
