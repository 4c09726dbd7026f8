using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace LlmTr.E2E;

public sealed partial class ReconnectJourneyShould(SiteFixture site) : IClassFixture<SiteFixture>
{
    [Fact]
    public async Task SayTheConnectionIsLostWhileItIsAndCarryOnWhenItIsBack()
    {
        var page = await site.NewPageAsync();
        // The circuit's WebSocket passes through the test, which can drop it and refuse new ones, as a network would.
        IWebSocketRoute? current = null;
        var refuse = false;
        await page.RouteWebSocketAsync(BlazorHub(), route =>
        {
            if (Volatile.Read(ref refuse))
            {
                _ = route.CloseAsync(new() { Code = 1011, Reason = "refused by the test" });
                return;
            }

            route.ConnectToServer();
            current = route;
        });

        await SiteFixture.JourneyAsync(page, "reconnect", async () =>
        {
            await Visitors.RegisterAsync(page, $"reconnect-{Guid.NewGuid():N}@llmtr.test");
            await page.GotoAsync("/dashboard/keys");
            await Assertions.Expect(page.Locator("main[data-interactive=true]")).ToBeAttachedAsync();
            var modal = page.Locator("#components-reconnect-modal");
            await Assertions.Expect(modal).ToBeHiddenAsync();

            Volatile.Write(ref refuse, true);
            await current!.CloseAsync(new() { Code = 1011, Reason = "dropped by the test" });

            var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Connection lost" });
            await Assertions.Expect(dialog).ToBeVisibleAsync();
            await Assertions.Expect(dialog).ToContainTextAsync(new Regex("Reconnecting…|Trying again in"));
            Assert.Equal("llmtr-reconnect", await modal.GetAttributeAsync("class") is { } classes ? classes.Split(' ')[0] : null);

            // The server kept the circuit: once the network is back, the next attempt rejoins it and the page works on.
            Volatile.Write(ref refuse, false);
            await Assertions.Expect(dialog).ToBeHiddenAsync(new() { Timeout = 30_000 });
            await page.GetByLabel("Name").FillAsync("after the drop");
            await page.GetByTestId("create-key").ClickAsync();
            await Assertions.Expect(page.Locator(".llmtr-revealed-key input")).ToHaveValueAsync(new Regex("^llmtr-"));
            await Assertions.Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        });
    }

    [GeneratedRegex("/_blazor")]
    private static partial Regex BlazorHub();
}
