using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
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

    [Fact]
    public async Task CancelAnAbandonedCheckoutThenPrintTheReceiptOfAPaidTopUp()
    {
        var page = await site.NewPageAsync();
        await SiteFixture.JourneyAsync(page, "billing-cancel-and-receipt", async () =>
        {
            await Visitors.RegisterAsync(page, $"receipt-{Guid.NewGuid():N}@llmtr.test");
            await page.GotoAsync("/dashboard/billing");

            // The buyer's details, printed on receipts from now on.
            await Assertions.Expect(page.GetByTestId("details-save")).ToBeEnabledAsync();
            await page.GetByTestId("details-name").FillAsync("Ayşe Yılmaz");
            await page.GetByTestId("details-address").FillAsync("Moda Cad. 1, Kadıköy, İstanbul");
            await page.GetByTestId("details-tax-id").FillAsync("10000000146");
            await page.GetByTestId("details-save").ClickAsync();
            await Assertions.Expect(page.GetByText("Billing details saved.")).ToBeVisibleAsync();

            // Off to the checkout, and back without paying.
            await page.GetByTestId("pay").ClickAsync();
            await page.WaitForURLAsync(TestCheckoutPage(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            await page.GotoAsync("/dashboard/billing");
            await Assertions.Expect(page.GetByTestId("pending-top-up")).ToHaveCountAsync(1);
            await Assertions.Expect(page.GetByTestId("pending-expires")).ToContainTextAsync("Open until");

            // "Continue payment" goes back to the same checkout; from there, back again, and cancel.
            await page.GetByTestId("resume-top-up").ClickAsync();
            await page.WaitForURLAsync(TestCheckoutPage(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            await Assertions.Expect(page.GetByTestId("test-pay")).ToBeVisibleAsync();
            await page.GotoAsync("/dashboard/billing");
            await page.GetByTestId("cancel-top-up").ClickAsync();
            await page.WaitForURLAsync(ReturnedPage(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            await Assertions.Expect(page.GetByText("You cancelled this top-up.", new() { Exact = false })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("pending-top-ups")).ToHaveCountAsync(0);
            await Assertions.Expect(page.GetByTestId("top-up-status").First).ToHaveTextAsync("Cancelled");

            // A paid top-up, and its receipt.
            await Assertions.Expect(page.GetByTestId("preset").First).ToBeEnabledAsync();
            await page.GetByTestId("preset").First.ClickAsync();
            await Assertions.Expect(page.GetByTestId("quote-total")).ToHaveTextAsync("10.60 USD");
            await page.GetByTestId("pay").ClickAsync();
            await page.WaitForURLAsync(TestCheckoutPage(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            await page.GetByTestId("test-pay").ClickAsync();
            await page.WaitForURLAsync(ReturnedPage(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            await Visitors.InteractiveAsync(page);
            await page.GetByTestId("top-up-history").GetByRole(AriaRole.Link, new() { Name = "Receipt" }).First.ClickAsync();
            await Visitors.ArriveAsync(page, ReceiptPage(), "Top-up receipt");

            await Assertions.Expect(page.GetByTestId("receipt-seller")).ToContainTextAsync(SiteFixture.SellerName);
            await Assertions.Expect(page.GetByTestId("receipt-buyer")).ToContainTextAsync("Ayşe Yılmaz");
            await Assertions.Expect(page.GetByTestId("receipt-buyer")).ToContainTextAsync("10000000146");
            await Assertions.Expect(page.GetByTestId("receipt-total")).ToHaveTextAsync("10.60 USD");
            await Assertions.Expect(page.GetByTestId("receipt-status")).ToHaveTextAsync("Completed");

            // The print button opens the browser's print (and its "Save as PDF"); printed, the site's chrome is gone.
            await page.EvaluateAsync("() => { window.llmtrPrinted = 0; window.print = () => { window.llmtrPrinted++; }; }");
            await page.GetByTestId("receipt-print").ClickAsync();
            Assert.Equal(1, await page.EvaluateAsync<int>("() => window.llmtrPrinted"));
            await page.EmulateMediaAsync(new() { Media = Media.Print });
            await Assertions.Expect(page.Locator("nav.llmtr-nav")).ToBeHiddenAsync();
            await Assertions.Expect(page.GetByTestId("receipt-print")).ToBeHiddenAsync();
            await Assertions.Expect(page.GetByTestId("receipt")).ToBeVisibleAsync();
            await page.EmulateMediaAsync(new() { Media = Media.Screen });

            // axe, every rule and every impact: nothing excluded.
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: true);
            var everything = await page.RunAxe();
            Assert.True(everything.Violations.Length == 0, string.Join("; ", everything.Violations.Select(v => $"{v.Id} ({v.Impact}): {string.Join(", ", v.Nodes.Select(n => n.Target.ToString()))}")));
            Assert.Empty(SiteFixture.CspViolations(page));
        });
    }

    [GeneratedRegex("/dashboard/billing/receipts/[0-9a-f-]{36}$")]
    private static partial Regex ReceiptPage();

    [GeneratedRegex("/billing/test-checkout/[0-9a-f-]{36}$")]
    private static partial Regex TestCheckoutPage();

    [GeneratedRegex("/dashboard/billing\\?topUp=")]
    private static partial Regex ReturnedPage();
}
