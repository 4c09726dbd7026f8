using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace LlmTr.E2E;

public sealed partial class BillingJourneysShould(SiteFixture site) : IClassFixture<SiteFixture>
{
    [Fact]
    public async Task TopUpThroughTheTestCheckoutAndSeeTheCreditOnTheBalance()
    {
        var page = await site.NewPageAsync();
        await Visitors.RegisterAsync(page, $"billing-{Guid.NewGuid():N}@llmtr.test");

        await page.GotoAsync("/dashboard/billing");
        var presets = page.GetByTestId("preset");
        await Assertions.Expect(presets.Nth(2)).ToBeEnabledAsync(); // interactive now
        await presets.Nth(2).ClickAsync();
        await Assertions.Expect(page.GetByTestId("quote-total")).ToHaveTextAsync("53.00 USD");
        await Assertions.Expect(page.GetByTestId("quote-margin")).ToHaveTextAsync("3.00 USD");
        await page.GetByTestId("pay").ClickAsync();

        await page.WaitForURLAsync(TestCheckoutPage(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(page.GetByTestId("test-checkout-banner")).ToContainTextAsync("TEST PAYMENT");
        await page.GetByTestId("test-pay").ClickAsync();

        await page.WaitForURLAsync(ReturnedPage(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(page.GetByText("Payment received: 50.00 USD was added to your balance.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("balance-amount")).ToHaveTextAsync("50.00 USD");
        await Assertions.Expect(page.GetByTestId("top-up-history")).ToContainTextAsync("Completed");
        await Assertions.Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
    }

    [GeneratedRegex("/billing/test-checkout/[0-9a-f-]{36}$")]
    private static partial Regex TestCheckoutPage();

    [GeneratedRegex("/dashboard/billing\\?topUp=")]
    private static partial Regex ReturnedPage();
}
